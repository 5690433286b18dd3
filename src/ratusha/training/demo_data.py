"""The fictional Соснівська міська рада: organisations, units, staff, journals and nomenclature.

Everything here is invented for training: the city of Соснівка, its ЄДРПОУ codes, addresses, people,
phone numbers. Retention periods and articles follow the pattern of the Minjust list No. 578/5
(«Пост.», «5 р. ЕПК», ст. 16 а …) and are illustrative demo values, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ratusha.orgs.constants import InstallationRole, OrgKind, Role
from ratusha.registry.constants import JournalKind

MARKER_CODE = "demo-council"
CITY = "Соснівка"
ADDRESS = "майдан Незалежності, 1, м. Соснівка, 35100"


@dataclass(frozen=True)
class OrgSpec:
    code: str
    kind: str
    name: str
    short_name: str
    parent: str | None
    edrpou: str
    address: str
    email: str
    phone: str
    units: tuple[tuple[str, str], ...]  # (code, name); "01" is the management / apparatus
    journals: tuple[str, ...]
    weight: int  # share of the generated documents


@dataclass(frozen=True)
class StaffSpec:
    org: str
    last_name: str
    first_name: str
    middle_name: str
    username: str
    unit: str
    position: str
    roles: tuple[str, ...]
    is_head: bool = False
    also: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())  # extra appointments (org, roles)


R, H, E, C, REC, W, A = (Role.REGISTRAR, Role.HEAD, Role.EXECUTOR, Role.CONTROLLER, Role.RECEPTION,
                         Role.WEB_EDITOR, Role.ADMIN)
J = JournalKind
BODY = (J.INCOMING, J.OUTGOING, J.ORDERS)
BODY_INTERNAL = (*BODY, J.INTERNAL)
COUNCIL_NAME = "Соснівської міської ради"

ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("demo-council", OrgKind.CITY_COUNCIL, "Соснівська міська рада", "Соснівська міська рада", None,
            "04051234", ADDRESS, "rada@sosnivka.example.org", "+380 (4532) 2-10-01",
            (("01", "Секретаріат ради"), ("02", "Відділ з питань діяльності депутатів та постійних комісій")),
            (J.INCOMING, J.OUTGOING, J.COUNCIL_DECISIONS), 8),
    OrgSpec("demo-vykonkom", OrgKind.EXECUTIVE_COMMITTEE, f"Виконавчий комітет {COUNCIL_NAME}", "Виконком",
            "demo-council", "04051240", ADDRESS, "vykonkom@sosnivka.example.org", "+380 (4532) 2-10-02",
            (("01", "Керівництво"), ("02", "Сектор контролю"),
             ("03", "Відділ інформаційної політики та комунікацій"), ("04", "Відділ інформатизації"),
             ("05", "Відділ кадрової роботи")),
            (J.INCOMING, J.OUTGOING, J.INTERNAL, J.ORDERS, J.EXECUTIVE_DECISIONS, J.APPEALS), 30),
    OrgSpec("demo-zagalnyi", OrgKind.EXECUTIVE_BODY, f"Загальний відділ {COUNCIL_NAME}", "Загальний відділ",
            "demo-vykonkom", "04051241", ADDRESS, "zagalnyi@sosnivka.example.org", "+380 (4532) 2-11-10",
            (("01", "Керівництво відділу"), ("02", "Сектор діловодства"), ("03", "Архівний сектор")),
            BODY_INTERNAL, 3),
    OrgSpec("demo-finance", OrgKind.EXECUTIVE_BODY, f"Фінансове управління {COUNCIL_NAME}",
            "Фінансове управління", "demo-vykonkom", "02318765", "вул. Соборна, 14, м. Соснівка, 35100",
            "finance@sosnivka.example.org", "+380 (4532) 2-15-40",
            (("01", "Керівництво"), ("02", "Бюджетний відділ"), ("03", "Відділ доходів"),
             ("04", "Відділ бухгалтерського обліку та звітності")), BODY_INTERNAL, 7),
    OrgSpec("demo-zhkg", OrgKind.EXECUTIVE_BODY, f"Управління житлово-комунального господарства {COUNCIL_NAME}",
            "Управління ЖКГ", "demo-vykonkom", "35641287", "вул. Грушевського, 7, м. Соснівка, 35100",
            "zhkg@sosnivka.example.org", "+380 (4532) 2-31-12",
            (("01", "Керівництво"), ("02", "Відділ благоустрою"), ("03", "Відділ житлового господарства"),
             ("04", "Відділ технічного нагляду")), BODY_INTERNAL, 12),
    OrgSpec("demo-osvita", OrgKind.EXECUTIVE_BODY, f"Управління освіти {COUNCIL_NAME}", "Управління освіти",
            "demo-vykonkom", "02147753", "вул. Шкільна, 3, м. Соснівка, 35100", "osvita@sosnivka.example.org",
            "+380 (4532) 2-22-05",
            (("01", "Керівництво"), ("02", "Відділ загальної середньої освіти"),
             ("03", "Відділ дошкільної та позашкільної освіти")), BODY, 6),
    OrgSpec("demo-zdorovia", OrgKind.EXECUTIVE_BODY, f"Управління охорони здоров'я {COUNCIL_NAME}",
            "Управління охорони здоров'я", "demo-vykonkom", "02012398", "вул. Лікарняна, 2, м. Соснівка, 35100",
            "zdorovia@sosnivka.example.org", "+380 (4532) 2-40-70",
            (("01", "Керівництво"), ("02", "Відділ медичної допомоги населенню")), BODY, 4),
    OrgSpec("demo-sotszakhyst", OrgKind.EXECUTIVE_BODY,
            f"Управління соціального захисту населення {COUNCIL_NAME}", "Управління соцзахисту",
            "demo-vykonkom", "03192214", "вул. Миру, 21, м. Соснівка, 35100", "uszn@sosnivka.example.org",
            "+380 (4532) 2-51-33",
            (("01", "Керівництво"), ("02", "Відділ призначення державних допомог"),
             ("03", "Відділ соціальних послуг та підтримки ВПО")), BODY, 7),
    OrgSpec("demo-arkhitektura", OrgKind.EXECUTIVE_BODY,
            f"Управління архітектури та містобудування {COUNCIL_NAME}", "Управління архітектури",
            "demo-vykonkom", "40875521", "вул. Соборна, 14, м. Соснівка, 35100", "arch@sosnivka.example.org",
            "+380 (4532) 2-16-80",
            (("01", "Керівництво"), ("02", "Відділ містобудівного кадастру")), BODY, 4),
    OrgSpec("demo-cnap", OrgKind.EXECUTIVE_BODY,
            f"Відділ «Центр надання адміністративних послуг» {COUNCIL_NAME}", "ЦНАП", "demo-vykonkom",
            "41236609", "вул. Соборна, 10, м. Соснівка, 35100", "cnap@sosnivka.example.org",
            "+380 (4532) 2-00-55",
            (("01", "Керівництво"), ("02", "Сектор реєстрації місця проживання"),
             ("03", "Віддалене робоче місце с. Лісове")), BODY, 4),
    OrgSpec("demo-yurvid", OrgKind.EXECUTIVE_BODY, f"Юридичний відділ {COUNCIL_NAME}", "Юридичний відділ",
            "demo-vykonkom", "04051242", ADDRESS, "yurvid@sosnivka.example.org", "+380 (4532) 2-10-20",
            (("01", "Юридичний відділ"),), (J.INCOMING, J.OUTGOING), 2),
    OrgSpec("demo-zvernennia", OrgKind.EXECUTIVE_BODY,
            f"Відділ роботи зі зверненнями громадян {COUNCIL_NAME}", "Відділ звернень громадян",
            "demo-vykonkom", "04051243", ADDRESS, "zvernennia@sosnivka.example.org", "+380 (4532) 2-10-15",
            (("01", "Відділ роботи зі зверненнями громадян"), ("02", "Приймальня громадян")),
            (J.INCOMING, J.OUTGOING), 2),
    OrgSpec("demo-vodokanal", OrgKind.MUNICIPAL_ENTERPRISE,
            f"Комунальне підприємство «Соснівкаводоканал» {COUNCIL_NAME}", "КП «Соснівкаводоканал»",
            "demo-council", "03361520", "вул. Набережна, 40, м. Соснівка, 35102", "office@vodokanal.example.org",
            "+380 (4532) 3-44-00",
            (("01", "Адміністрація"), ("02", "Абонентський відділ"), ("03", "Служба водопровідних мереж"),
             ("04", "Планово-економічний відділ")), (*BODY_INTERNAL, J.APPEALS), 5),
    OrgSpec("demo-elektrotrans", OrgKind.MUNICIPAL_ENTERPRISE,
            f"Комунальне підприємство «Міськелектротранс» {COUNCIL_NAME}", "КП «Міськелектротранс»",
            "demo-council", "05427731", "вул. Депутатська, 5, м. Соснівка, 35104", "office@met.example.org",
            "+380 (4532) 3-12-21",
            (("01", "Адміністрація"), ("02", "Служба руху"), ("03", "Тролейбусне депо")), BODY, 3),
    OrgSpec("demo-zhytloservis", OrgKind.MUNICIPAL_ENTERPRISE,
            f"Комунальне підприємство «Житлосервіс» {COUNCIL_NAME}", "КП «Житлосервіс»", "demo-council",
            "34877120", "вул. Лесі Українки, 18, м. Соснівка, 35100", "office@zhytloservis.example.org",
            "+380 (4532) 3-60-17",
            (("01", "Адміністрація"), ("02", "Житлово-експлуатаційна дільниця № 1"),
             ("03", "Житлово-експлуатаційна дільниця № 2")), (*BODY, J.APPEALS), 3),
)

STAFF: tuple[StaffSpec, ...] = (
    # Соснівська міська рада
    StaffSpec("demo-council", "Гнатюк", "Василь", "Петрович", "v.hnatiuk", "01", "Міський голова", (H,), True,
              also=(("demo-vykonkom", (H,)),)),
    StaffSpec("demo-council", "Лисенко", "Оксана", "Миколаївна", "o.lysenko", "01", "Секретар міської ради",
              (H,), True),
    StaffSpec("demo-council", "Пономаренко", "Ірина", "Василівна", "i.ponomarenko", "01",
              "Головний спеціаліст секретаріату ради", (R, E)),
    StaffSpec("demo-council", "Дячук", "Андрій", "Олегович", "a.diachuk", "02", "Спеціаліст І категорії", (E,)),
    # Виконавчий комітет
    StaffSpec("demo-vykonkom", "Савчук", "Наталія", "Іванівна", "n.savchuk", "01",
              "Керуючий справами виконавчого комітету", (H, C), True),
    StaffSpec("demo-vykonkom", "Мороз", "Олег", "Вікторович", "o.moroz", "01",
              "Перший заступник міського голови", (H,), True),
    StaffSpec("demo-vykonkom", "Кравець", "Людмила", "Степанівна", "l.kravets", "02",
              "Завідувач сектору контролю", (C, E), True),
    StaffSpec("demo-vykonkom", "Бойко", "Тетяна", "Олександрівна", "t.boiko", "02",
              "Головний спеціаліст сектору контролю", (C, E)),
    StaffSpec("demo-vykonkom", "Петренко", "Максим", "Андрійович", "m.petrenko", "03",
              "Начальник відділу інформаційної політики та комунікацій", (W, E), True),
    StaffSpec("demo-vykonkom", "Зінченко", "Юлія", "Романівна", "yu.zinchenko", "03",
              "Головний спеціаліст з питань вебсайту", (W,)),
    StaffSpec("demo-vykonkom", "Ковальчук", "Дмитро", "Сергійович", "d.kovalchuk", "04",
              "Начальник відділу інформатизації", (A,), True, also=(("demo-council", (A,)),)),
    StaffSpec("demo-vykonkom", "Руденко", "Світлана", "Павлівна", "s.rudenko", "05",
              "Начальник відділу кадрової роботи", (E,), True),
    # Загальний відділ: its clerks keep the registries of the council and the executive committee.
    StaffSpec("demo-zagalnyi", "Шевченко", "Галина", "Миколаївна", "h.shevchenko", "01",
              "Начальник загального відділу", (H, R), True,
              also=(("demo-vykonkom", (R, C)), ("demo-council", (R,)))),
    StaffSpec("demo-zagalnyi", "Ткаченко", "Марія", "Іванівна", "m.tkachenko", "02",
              "Головний спеціаліст сектору діловодства", (R,), also=(("demo-vykonkom", (R,)),)),
    StaffSpec("demo-zagalnyi", "Олійник", "Вікторія", "Андріївна", "v.oliinyk", "02",
              "Провідний спеціаліст сектору діловодства", (R,), also=(("demo-vykonkom", (R,)),)),
    StaffSpec("demo-zagalnyi", "Мельничук", "Роман", "Іванович", "r.melnychuk", "03",
              "Завідувач архівного сектору", (E,)),
    # Фінансове управління
    StaffSpec("demo-finance", "Бондаренко", "Людмила", "Григорівна", "l.bondarenko", "01",
              "Начальник фінансового управління", (H,), True),
    StaffSpec("demo-finance", "Кучер", "Інна", "Петрівна", "i.kucher", "02", "Начальник бюджетного відділу",
              (E, C)),
    StaffSpec("demo-finance", "Левченко", "Артем", "Вікторович", "a.levchenko", "03",
              "Головний спеціаліст відділу доходів", (E,)),
    StaffSpec("demo-finance", "Марченко", "Олена", "Юріївна", "o.marchenko", "04", "Головний спеціаліст", (R, E)),
    # Управління ЖКГ
    StaffSpec("demo-zhkg", "Коваленко", "Ігор", "Миколайович", "i.kovalenko", "01", "Начальник управління",
              (H,), True),
    StaffSpec("demo-zhkg", "Гаврилюк", "Сергій", "Петрович", "s.havryliuk", "01",
              "Заступник начальника управління", (E, C)),
    StaffSpec("demo-zhkg", "Тимошенко", "Анна", "Володимирівна", "a.tymoshenko", "02",
              "Головний спеціаліст відділу благоустрою", (E,)),
    StaffSpec("demo-zhkg", "Поліщук", "Юрій", "Олександрович", "yu.polishchuk", "04",
              "Інженер з технічного нагляду", (E,)),
    StaffSpec("demo-zhkg", "Савченко", "Оксана", "Вікторівна", "o.savchenko", "01", "Діловод", (R,)),
    # Управління освіти
    StaffSpec("demo-osvita", "Кравченко", "Валентина", "Іванівна", "v.kravchenko", "01",
              "Начальник управління освіти", (H,), True),
    StaffSpec("demo-osvita", "Романюк", "Ольга", "Степанівна", "o.romaniuk", "02",
              "Головний спеціаліст відділу загальної середньої освіти", (E,)),
    StaffSpec("demo-osvita", "Семенюк", "Павло", "Богданович", "p.semeniuk", "03",
              "Головний спеціаліст відділу дошкільної освіти", (E,)),
    StaffSpec("demo-osvita", "Юрченко", "Леся", "Олегівна", "l.yurchenko", "01", "Діловод", (R,)),
    # Управління охорони здоров'я
    StaffSpec("demo-zdorovia", "Ковтун", "Андрій", "Іванович", "a.kovtun", "01",
              "Начальник управління охорони здоров'я", (H,), True),
    StaffSpec("demo-zdorovia", "Білоус", "Наталія", "Сергіївна", "n.bilous", "02", "Головний спеціаліст", (R, E)),
    StaffSpec("demo-zdorovia", "Остапенко", "Вадим", "Миколайович", "v.ostapenko", "02", "Провідний спеціаліст",
              (E,)),
    # Управління соціального захисту населення
    StaffSpec("demo-sotszakhyst", "Литвиненко", "Ганна", "Петрівна", "h.lytvynenko", "01",
              "Начальник управління соціального захисту населення", (H,), True),
    StaffSpec("demo-sotszakhyst", "Федорчук", "Марина", "Олександрівна", "m.fedorchuk", "02",
              "Начальник відділу призначення державних допомог", (E, C)),
    StaffSpec("demo-sotszakhyst", "Карпенко", "Іван", "Васильович", "i.karpenko", "03", "Головний спеціаліст",
              (E, REC)),
    StaffSpec("demo-sotszakhyst", "Нестеренко", "Алла", "Миколаївна", "a.nesterenko", "01", "Діловод", (R,)),
    # Управління архітектури та містобудування
    StaffSpec("demo-arkhitektura", "Захарченко", "Олександр", "Леонідович", "o.zakharchenko", "01",
              "Начальник управління — головний архітектор міста", (H,), True),
    StaffSpec("demo-arkhitektura", "Давиденко", "Катерина", "Ігорівна", "k.davydenko", "02",
              "Головний спеціаліст", (E,)),
    StaffSpec("demo-arkhitektura", "Пилипенко", "Богдан", "Романович", "b.pylypenko", "02",
              "Провідний спеціаліст", (R, E)),
    # ЦНАП
    StaffSpec("demo-cnap", "Соловйова", "Ірина", "Олегівна", "i.solovyova", "01",
              "Начальник відділу «Центр надання адміністративних послуг»", (H,), True),
    StaffSpec("demo-cnap", "Гуменюк", "Тарас", "Михайлович", "t.humeniuk", "02", "Адміністратор ЦНАП", (REC, E)),
    StaffSpec("demo-cnap", "Андрійчук", "Світлана", "Богданівна", "s.andriichuk", "03", "Адміністратор ЦНАП",
              (REC, R)),
    # Юридичний відділ
    StaffSpec("demo-yurvid", "Власенко", "Микола", "Петрович", "m.vlasenko", "01",
              "Начальник юридичного відділу", (H, R), True),
    StaffSpec("demo-yurvid", "Чорновол", "Дарина", "Андріївна", "d.chornovol", "01",
              "Головний спеціаліст — юрисконсульт", (E,)),
    # Відділ роботи зі зверненнями громадян: registers the citizens' appeals of the executive committee.
    StaffSpec("demo-zvernennia", "Клименко", "Людмила", "Іванівна", "l.klymenko", "01",
              "Начальник відділу роботи зі зверненнями громадян", (H, REC, R), True,
              also=(("demo-vykonkom", (REC, R)),)),
    StaffSpec("demo-zvernennia", "Мазур", "Олена", "Василівна", "o.mazur", "02", "Головний спеціаліст",
              (REC, R), also=(("demo-vykonkom", (REC, R)),)),
    StaffSpec("demo-zvernennia", "Прокопенко", "Віталій", "Сергійович", "v.prokopenko", "02",
              "Провідний спеціаліст", (REC, E)),
    # КП «Соснівкаводоканал»
    StaffSpec("demo-vodokanal", "Бабенко", "Володимир", "Іванович", "v.babenko", "01", "Директор", (H,), True),
    StaffSpec("demo-vodokanal", "Стасюк", "Ольга", "Петрівна", "o.stasiuk", "01", "Секретар-діловод", (R,)),
    StaffSpec("demo-vodokanal", "Гончаренко", "Микола", "Степанович", "m.honcharenko", "03", "Головний інженер",
              (E, C)),
    StaffSpec("demo-vodokanal", "Фролова", "Анастасія", "Ігорівна", "a.frolova", "02",
              "Інженер абонентського відділу", (REC, E)),
    StaffSpec("demo-vodokanal", "Ярошенко", "Денис", "Олегович", "d.yaroshenko", "04", "Інженер-програміст", (A,)),
    # КП «Міськелектротранс»
    StaffSpec("demo-elektrotrans", "Тарасенко", "Григорій", "Миколайович", "h.tarasenko", "01", "Директор",
              (H,), True),
    StaffSpec("demo-elektrotrans", "Шаповал", "Людмила", "Василівна", "l.shapoval", "01",
              "Інспектор з кадрів, діловод", (R,)),
    StaffSpec("demo-elektrotrans", "Кузьменко", "Віктор", "Павлович", "v.kuzmenko", "02",
              "Начальник служби руху", (E,)),
    StaffSpec("demo-elektrotrans", "Дорошенко", "Іванна", "Романівна", "i.doroshenko", "01", "Економіст", (E, C)),
    # КП «Житлосервіс»
    StaffSpec("demo-zhytloservis", "Приходько", "Степан", "Іванович", "s.prykhodko", "01", "Директор", (H,), True),
    StaffSpec("demo-zhytloservis", "Панченко", "Надія", "Олексіївна", "n.panchenko", "01", "Діловод",
              (R, REC)),
    StaffSpec("demo-zhytloservis", "Сидоренко", "Анатолій", "Васильович", "a.sydorenko", "02",
              "Майстер дільниці", (E,)),
    StaffSpec("demo-zhytloservis", "Костенко", "Ілона", "Миколаївна", "i.kostenko", "03", "Інженер", (E,)),
)

# Superuser of the installation (Django admin) besides being an organisation administrator.
SUPERUSERS = ("d.kovalchuk",)

# Installation roles (docs/architecture.md rule 5), granted explicitly through the service: no organisation role — the
# administrator of КП «Соснівкаводоканал» (d.yaroshenko) included — gives anything installation-wide.
INSTALLATION_ROLE_GRANTS: tuple[tuple[str, str], ...] = (
    ("d.kovalchuk", InstallationRole.INSTALLATION_ADMIN),
    ("m.petrenko", InstallationRole.WEBSITE_EDITOR),
    ("yu.zinchenko", InstallationRole.WEBSITE_EDITOR),
)

# One or two accounts per role, printed by `ratusha run --demo` (order = order of the table).
DEMO_LOGIN_USERNAMES: tuple[tuple[str, str, str], ...] = (
    (R, "m.tkachenko", "demo-vykonkom"),
    (R, "o.stasiuk", "demo-vodokanal"),
    (H, "v.hnatiuk", "demo-vykonkom"),
    (H, "i.kovalenko", "demo-zhkg"),
    (E, "a.tymoshenko", "demo-zhkg"),
    (E, "a.levchenko", "demo-finance"),
    (C, "l.kravets", "demo-vykonkom"),
    (REC, "o.mazur", "demo-vykonkom"),
    (REC, "t.humeniuk", "demo-cnap"),
    (W, "yu.zinchenko", "demo-vykonkom"),
    (A, "d.kovalchuk", "demo-vykonkom"),
    (A, "d.yaroshenko", "demo-vodokanal"),
)

# Acting heads (principal, deputy, start and end as days relative to the load date, reason).
DELEGATIONS: tuple[tuple[str, str, str, int, int, str], ...] = (
    ("demo-zhkg", "i.kovalenko", "s.havryliuk", -3, 11,
     "Розпорядження міського голови про щорічну відпустку начальника управління"),
    ("demo-finance", "l.bondarenko", "i.kucher", -120, -106, "Щорічна основна відпустка"),
    ("demo-vodokanal", "v.babenko", "m.honcharenko", 20, 33, "Наказ про відрядження директора"),
    ("demo-vykonkom", "n.savchuk", "l.kravets", -60, -50, "Тимчасова непрацездатність"),
)

# Journal names, templates and prefixes per kind: (name, index template, prefix, default case no.)
JOURNALS = {
    J.INCOMING: ("Журнал реєстрації вхідних документів", "{seq}/{case}", "", "10"),
    J.OUTGOING: ("Журнал реєстрації вихідних документів", "{case}/{seq}", "", "11"),
    J.INTERNAL: ("Журнал реєстрації внутрішніх документів", "{seq}/{unit}", "", "12"),
    J.ORDERS: ("Накази з основної діяльності", "{seq}{prefix}", "-од", "01"),
    J.COUNCIL_DECISIONS: ("Рішення міської ради", "{seq}-{prefix}", "VIII", "02"),
    J.EXECUTIVE_DECISIONS: ("Рішення виконавчого комітету", "{seq}", "", "03"),
    J.APPEALS: ("Журнал реєстрації звернень громадян", "{prefix}-{seq}", "ЗГ", "13"),
}
# The executive committee keeps the mayor's orders (розпорядження), not orders of a head (накази).
VYKONKOM_ORDERS = ("Розпорядження міського голови з основної діяльності", "{seq}{prefix}", "-р", "01")

# Nomenclature (prefix = the "01" unit code of the organisation): (number, title, retention, article)
NOMENCLATURE: tuple[tuple[str, str, str, str], ...] = (
    ("01", "Накази (розпорядження) керівника з основної діяльності", "Пост.", "ст. 16 а"),
    ("02", "Рішення ради, документи до них (копії)", "Пост.", "ст. 4 а"),
    ("03", "Рішення виконавчого комітету, документи до них", "Пост.", "ст. 4 а"),
    ("04", "Накази з кадрових питань (особового складу)", "75 р.", "ст. 16 б"),
    ("05", "Накази з адміністративно-господарських питань", "5 р.", "ст. 16 в"),
    ("06", "Положення про організацію та її структурні підрозділи", "Пост.", "ст. 39 а"),
    ("07", "Посадові інструкції працівників", "5 р.", "ст. 43"),
    ("08", "Плани роботи на рік, звіти про їх виконання", "Пост.", "ст. 157 а"),
    ("09", "Номенклатура справ", "Пост.", "ст. 112 а"),
    ("10", "Листування з органами державної влади та місцевого самоврядування з основних питань діяльності",
     "5 р. ЕПК", "ст. 22"),
    ("11", "Листування з підприємствами, установами, організаціями з основних питань діяльності",
     "5 р. ЕПК", "ст. 23"),
    ("12", "Доповідні, службові записки, інформації з основної діяльності", "5 р. ЕПК", "ст. 30"),
    ("13", "Звернення громадян (пропозиції, заяви, скарги) та документи з їх розгляду", "5 р.", "ст. 82 б"),
    ("14", "Запити на публічну інформацію та документи з їх розгляду", "5 р.", "ст. 82 б"),
    ("15", "Журнали реєстрації вхідних, вихідних та внутрішніх документів", "3 р.", "ст. 122"),
    ("16", "Акти перевірок, ревізій, аудитів та документи до них", "10 р.", "ст. 75"),
    ("17", "Договори, угоди господарського характеру", "3 р.", "ст. 620"),
    ("18", "Документи з питань цивільного захисту та пожежної безпеки", "5 р.", "ст. 1142"),
)
