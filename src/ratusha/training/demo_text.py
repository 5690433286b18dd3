"""Vocabulary of the demo documents: correspondents, subjects and summaries, built combinatorially.

Real national state bodies appear under their real names (they write to every council); the
city, its district bodies, companies, NGOs and residents are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

STREETS = ("Шевченка", "Грушевського", "Соборна", "Лесі Українки", "Незалежності", "Лісова", "Садова",
           "Польова", "Героїв Майдану", "Івана Франка", "Набережна", "Шкільна", "Весняна", "Зелена", "Миру",
           "Молодіжна", "Козацька", "Гетьмана Мазепи", "Вишнева", "Затишна", "Депутатська", "Лікарняна")
DISTRICTS = ("Північний", "Центральний", "Лісовий", "Залізничний", "Сонячний", "Заріччя")
KINDERGARTENS = ("Сонечко", "Веселка", "Барвінок", "Калинка", "Дзвіночок", "Ромашка")
STOPS = ("Ринок", "Міська лікарня", "Автовокзал", "Площа Миру", "Вулиця Садова", "Ліцей № 3")
PROGRAMS = ("розвитку житлово-комунального господарства та благоустрою",
            "підтримки внутрішньо переміщених осіб", "розвитку освіти", "«Здоров'я громади»",
            "цифрової трансформації", "розвитку міського електричного транспорту",
            "енергоефективності та енергозбереження", "національно-патріотичного виховання молоді",
            "соціального захисту ветеранів війни та членів їхніх сімей")

# (name, signer, index prefix, restricted?, topics) — national bodies (real) and local ones (fictional).
STATE_BODIES = (
    ("Міністерство розвитку громад та територій України", "Заступник Міністра", "7/10", False,
     {"zhkg", "arch", "transport", "general", "vodokanal", "zhytlo"}),
    ("Міністерство освіти і науки України", "Директор департаменту", "1/11", False, {"osvita"}),
    ("Міністерство охорони здоров'я України", "Директор директорату", "26-04", False, {"health"}),
    ("Міністерство соціальної політики України", "Директор департаменту", "15.1", False, {"social"}),
    ("Державна аудиторська служба України", "Заступник Голови", "000400-18", False,
     {"finance", "osvita", "health"}),
    ("Державна казначейська служба України, Соснівське управління", "Начальник управління", "02-08", False,
     {"finance"}),
    ("Пенсійний фонд України, Соснівський сервісний центр", "Начальник центру", "2000-0203", False,
     {"social", "cnap"}),
    ("Національна служба здоров'я України", "Заступник Голови", "19.1.3", False, {"health"}),
    ("Соснівська районна військова адміністрація", "Начальник районної військової адміністрації", "01-32",
     False, {"general", "civil", "zhkg", "social", "osvita", "health", "finance", "transport"}),
    ("Соснівський районний відділ поліції", "Начальник відділу", "27/1", True, {"civil", "general", "legal"}),
    ("Соснівське районне управління ДСНС", "Начальник управління", "63 01", True, {"civil", "osvita"}),
    ("Соснівський районний територіальний центр комплектування та соціальної підтримки", "Начальник центру",
     "4/2", True, {"civil"}),
    ("Соснівська окружна прокуратура", "Керівник окружної прокуратури", "52-84", True,
     {"legal", "finance", "arch"}),
    ("Соснівський районний суд", "Суддя", "2-3", True, {"legal"}),
    ("Соснівська державна податкова інспекція", "Начальник інспекції", "1350/6", False, {"finance"}),
    ("Соснівське районне управління Держпродспоживслужби", "Начальник управління", "8.3-11", False,
     {"health", "osvita", "vodokanal"}),
    ("Уповноважений Верховної Ради України з прав людини", "Представник Уповноваженого", "Вих. 14", False,
     {"social", "cnap", "health"}),
)
COMPANIES = (
    ("ТОВ «Соснівбуд»", "Директор", {"zhkg", "arch", "osvita"}),
    ("ТОВ «ДорБудТехнологія»", "Директор", {"zhkg", "transport"}),
    ("ПП «Світло-Сервіс»", "Директор", {"zhkg"}),
    ("ТОВ «ЕкоТрансСервіс»", "Генеральний директор", {"zhkg", "zhytlo"}),
    ("АТ «Соснівкаобленерго»", "Начальник Соснівського РЕМ", {"finance", "transport", "vodokanal", "zhkg"}),
    ("ТОВ «Теплокомуненерго Соснівка»", "Директор", {"zhytlo", "zhkg"}),
    ("ТОВ «Агроресурс-Соснівка»", "Директор", {"arch", "finance"}),
    ("ФОП Ничипорук О. В.", "Фізична особа — підприємець", {"arch", "finance", "cnap"}),
    ("ГО «Соснівська громадська ініціатива»", "Голова правління", {"general", "social", "zhkg", "arch"}),
    ("ОСББ «Затишок»", "Голова правління", {"zhytlo", "zhkg"}),
    ("ОСББ «Садова, 12»", "Голова правління", {"zhytlo", "zhkg", "vodokanal"}),
    ("БФ «Добро Соснівки»", "Голова фонду", {"social", "health", "civil"}),
    ("ТОВ «Соснівка Телеком»", "Комерційний директор", {"arch", "general"}),
    ("ПрАТ «Соснівський хлібозавод»", "Голова правління", {"finance", "arch", "vodokanal"}),
    ("ТОВ «Юридична фірма «Право і громада»", "Адвокат", {"legal"}),
)
SURNAMES = ("Петренко", "Ковальчук", "Бондар", "Ткачук", "Мельник", "Савчук", "Гребенюк", "Кравчук", "Олійник",
            "Шевчук", "Лук'яненко", "Пасічник", "Головко", "Данилюк", "Яковенко", "Гордієнко", "Сахно",
            "Туркало", "Нечипоренко", "Мисник", "Дзюба", "Литвин", "Кириленко", "Остапчук", "Вдовиченко",
            "Зайченко", "Стельмах", "Ференчук", "Гуцол", "Лозинський")
MALE = (("Олександр", "Олександрович"), ("Микола", "Миколайович"), ("Іван", "Іванович"),
        ("Петро", "Петрович"), ("Василь", "Васильович"), ("Андрій", "Андрійович"), ("Юрій", "Юрійович"),
        ("Богдан", "Богданович"), ("Степан", "Степанович"), ("Тарас", "Тарасович"), ("Віктор", "Вікторович"))
FEMALE = (("Олена", "Олександрівна"), ("Наталія", "Миколаївна"), ("Ірина", "Іванівна"),
          ("Галина", "Петрівна"), ("Оксана", "Василівна"), ("Тетяна", "Андріївна"), ("Марія", "Юріївна"),
          ("Людмила", "Богданівна"), ("Ганна", "Степанівна"), ("Світлана", "Тарасівна"), ("Юлія", "Вікторівна"))


@dataclass(frozen=True)
class Subject:
    acc: str  # after «Про …»
    gen: str  # after «щодо …»
    topics: frozenset[str]
    action: bool  # a work to do («ремонт …»), not a state of things («стан розрахунків …»)
    resident: bool  # something a resident writes about


def _s(acc: str, gen: str, *topics: str, action: bool = True, resident: bool = False) -> Subject:
    return Subject(acc, gen, frozenset(topics), action, resident)


SUBJECTS = (
    _s("ремонт дорожнього покриття на вул. {street}", "ремонту дорожнього покриття на вул. {street}", "zhkg", resident=True),
    _s("поточний ремонт доріг у мікрорайоні {district}", "поточного ремонту доріг у мікрорайоні {district}",
       "zhkg", resident=True),
    _s("благоустрій прибудинкової території по вул. {street}, {house}",
       "благоустрою прибудинкової території по вул. {street}, {house}", "zhkg", "zhytlo", resident=True),
    _s("встановлення тарифів на централізоване водопостачання та водовідведення",
       "встановлення тарифів на централізоване водопостачання та водовідведення", "vodokanal", "finance"),
    _s("освітлення вулиць у мікрорайоні {district}", "освітлення вулиць у мікрорайоні {district}", "zhkg", resident=True),
    _s("ремонт даху Соснівського ліцею № {n}", "ремонту даху Соснівського ліцею № {n}", "osvita", resident=True),
    _s("капітальний ремонт харчоблоку закладу дошкільної освіти «{kinder}»",
       "капітального ремонту харчоблоку закладу дошкільної освіти «{kinder}»", "osvita"),
    _s("вивезення твердих побутових відходів з приватного сектору",
       "вивезення твердих побутових відходів з приватного сектору", "zhkg", "zhytlo", resident=True),
    _s("видалення аварійних дерев на вул. {street}", "видалення аварійних дерев на вул. {street}", "zhkg",
       "zhytlo", resident=True),
    _s("підготовку житлового фонду до опалювального періоду", "підготовки житлового фонду до опалювального "
       "періоду", "zhkg", "zhytlo"),
    _s("зміну графіка руху тролейбусів маршруту № {n}", "зміни графіка руху тролейбусів маршруту № {n}",
       "transport", resident=True),
    _s("надання матеріальної допомоги внутрішньо переміщеним особам",
       "надання матеріальної допомоги внутрішньо переміщеним особам", "social", resident=True),
    _s("виділення коштів з резервного фонду бюджету громади",
       "виділення коштів з резервного фонду бюджету громади", "finance"),
    _s("внесення змін до бюджету Соснівської міської територіальної громади",
       "внесення змін до бюджету Соснівської міської територіальної громади", "finance"),
    _s("облаштування укриття в Соснівському ліцеї № {n}", "облаштування укриття в Соснівському ліцеї № {n}",
       "osvita", "civil"),
    _s("забезпечення лікарськими засобами пільгових категорій населення",
       "забезпечення лікарськими засобами пільгових категорій населення", "health", "social"),
    _s("присвоєння поштової адреси об'єкту нерухомого майна по вул. {street}, {house}",
       "присвоєння поштової адреси об'єкту нерухомого майна по вул. {street}, {house}", "arch", "cnap", resident=True),
    _s("надання містобудівних умов та обмежень для будівництва по вул. {street}",
       "надання містобудівних умов та обмежень для будівництва по вул. {street}", "arch"),
    _s("проведення громадських слухань щодо детального плану території мікрорайону {district}",
       "проведення громадських слухань щодо детального плану території мікрорайону {district}", "arch"),
    _s("облаштування пішохідного переходу біля зупинки «{stop}»",
       "облаштування пішохідного переходу біля зупинки «{stop}»", "zhkg", "transport", resident=True),
    _s("заміну вікон у Соснівській міській лікарні", "заміни вікон у Соснівській міській лікарні", "health"),
    _s("погашення заборгованості за спожиту електроенергію", "погашення заборгованості за спожиту "
       "електроенергію", "finance", "transport", "vodokanal"),
    _s("встановлення дитячого майданчика у дворі будинку № {house} по вул. {street}",
       "встановлення дитячого майданчика у дворі будинку № {house} по вул. {street}", "zhkg", "zhytlo", resident=True),
    _s("стан розрахунків населення за житлово-комунальні послуги",
       "стану розрахунків населення за житлово-комунальні послуги", "zhkg", "vodokanal", "zhytlo", "finance", action=False),
    _s("підготовку до відзначення Дня міста", "підготовки до відзначення Дня міста", "general"),
    _s("організацію харчування учнів пільгових категорій", "організації харчування учнів пільгових категорій",
       "osvita", "social"),
    _s("відключення гарячого водопостачання в будинках по вул. {street}",
       "відключення гарячого водопостачання в будинках по вул. {street}", "zhytlo", "zhkg", resident=True),
    _s("перевірку дотримання вимог пожежної безпеки в закладах освіти",
       "перевірки дотримання вимог пожежної безпеки в закладах освіти", "osvita", "civil"),
    _s("оренду нежитлового приміщення комунальної власності по вул. {street}, {house}",
       "оренди нежитлового приміщення комунальної власності по вул. {street}, {house}", "finance", "legal"),
    _s("закупівлю тролейбусів за програмою оновлення рухомого складу",
       "закупівлі тролейбусів за програмою оновлення рухомого складу", "transport"),
    _s("ремонт водопровідної мережі по вул. {street}", "ремонту водопровідної мережі по вул. {street}",
       "vodokanal", resident=True),
    _s("якість питної води в мікрорайоні {district}", "якості питної води в мікрорайоні {district}",
       "vodokanal", "health", resident=True, action=False),
    _s("облік військовозобов'язаних працівників", "обліку військовозобов'язаних працівників", "civil"),
    _s("призначення житлових субсидій", "призначення житлових субсидій", "social", resident=True),
    _s("оформлення паспорта громадянина України у формі ID-картки",
       "оформлення паспорта громадянина України у формі ID-картки", "cnap", resident=True),
    _s("реєстрацію місця проживання", "реєстрації місця проживання", "cnap", resident=True),
    _s("позовну заяву про стягнення заборгованості з орендної плати",
       "позовної заяви про стягнення заборгованості з орендної плати", "legal", action=False),
    _s("проведення щеплень дітей шкільного віку", "проведення щеплень дітей шкільного віку", "health"),
    _s("роботу пунктів незламності в зимовий період", "роботи пунктів незламності в зимовий період",
       "civil", "general", action=False),
    _s("оплату праці педагогічних працівників", "оплати праці педагогічних працівників", "osvita", "finance"),
)

ORG_TOPICS = {
    "demo-council": None, "demo-vykonkom": None, "demo-zagalnyi": {"general", "civil"},
    "demo-finance": {"finance"}, "demo-zhkg": {"zhkg"}, "demo-osvita": {"osvita"},
    "demo-zdorovia": {"health"}, "demo-sotszakhyst": {"social"}, "demo-arkhitektura": {"arch"},
    "demo-cnap": {"cnap"}, "demo-yurvid": {"legal"}, "demo-zvernennia": {"zhkg", "social", "zhytlo"},
    "demo-vodokanal": {"vodokanal"}, "demo-elektrotrans": {"transport"}, "demo-zhytloservis": {"zhytlo"},
}


class TextMaker:
    """Deterministic (seeded) generator of names, subjects and summaries."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.action = True

    def subject(self, org_code: str, *, resident: bool = False, hint: set[str] | None = None) -> tuple[str, str]:
        """(accusative, genitive) forms of a subject fitting the organisation (and the writer's topics
        ``hint``), placeholders filled. ``self.action`` tells afterwards whether it is a work to do."""
        topics = ORG_TOPICS.get(org_code)
        fits_org = [s for s in SUBJECTS if (topics is None or s.topics & topics) and (s.resident or not resident)]
        pool = [s for s in fits_org if hint is None or s.topics & hint] or fits_org
        if not pool:
            pool = [s for s in SUBJECTS if s.resident] if resident else list(SUBJECTS)
        subject = self.rng.choice(pool)
        self.action = subject.action
        values = {"street": self.rng.choice(STREETS), "district": self.rng.choice(DISTRICTS),
                  "house": self.rng.randint(1, 120), "n": self.rng.randint(1, 12),
                  "kinder": self.rng.choice(KINDERGARTENS), "stop": self.rng.choice(STOPS)}
        return subject.acc.format(**values), subject.gen.format(**values)

    def writer(self, org_code: str, pool: tuple) -> tuple:
        """A state body or company whose topics meet the organisation's (its last item is the topics)."""
        topics = ORG_TOPICS.get(org_code)
        fitting = [item for item in pool if topics is None or item[-1] & topics]
        return self.rng.choice(fitting or list(pool))

    def person(self) -> tuple[str, str, str]:
        first, middle = self.rng.choice(MALE if self.rng.random() < 0.45 else FEMALE)
        return self.rng.choice(SURNAMES), first, middle

    def resident(self) -> dict[str, str]:
        last, first, middle = self.person()
        street = self.rng.choice(STREETS)
        return {"name": f"{last} {first} {middle}", "short": f"{first} {last.upper()}",
                "address": f"вул. {street}, буд. {self.rng.randint(1, 90)}, кв. {self.rng.randint(1, 120)}, "
                           f"м. Соснівка",
                "phone": f"+380 {self.rng.choice(('50', '63', '67', '68', '73', '93', '97'))} "
                         f"{self.rng.randint(100, 999)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}"}

    def signer(self) -> str:
        last, first, _middle = self.person()
        return f"{first} {last.upper()}"

    # --- summaries per journal kind -----------------------------------------------------------

    def incoming_summary(self, acc: str, gen: str, *, source: str) -> str:
        if source == "resident":
            forms = ("Заява щодо {g}", "Скарга щодо {g}", "Щодо {g}", "Прохання щодо {g}")
        elif source == "company":
            forms = ("Про {a}", "Щодо {g}", "Пропозиції щодо {g}") + (("Про погодження {g}",) if self.action else ())
        else:
            forms = ("Про {a}", "Щодо {g}", "Про надання інформації щодо {g}", "Про виконання доручення щодо {g}",
                     "Запит щодо {g}") + (("Про моніторинг {g}",) if self.action else ())
        return self.rng.choice(forms).format(a=acc, g=gen)

    def answer_summary(self, gen: str, *, to_resident: bool) -> str:
        forms = (("Відповідь на заяву щодо {g}", "Про розгляд звернення щодо {g}") if to_resident else
                 ("Про надання інформації щодо {g}", "Відповідь на лист щодо {g}", "Про розгляд листа щодо {g}"))
        return self.rng.choice(forms).format(g=gen)

    def memo_summary(self, acc: str, gen: str) -> str:
        forms = ("Службова записка щодо {g}", "Про {a}", "Доповідна записка щодо {g}")
        forms += ("Про потребу у фінансуванні {g}",) if self.action else ()
        return self.rng.choice(forms).format(a=acc, g=gen)

    def order_summary(self, acc: str, gen: str, year: int) -> tuple[str, bool]:
        """(summary, is_personnel) — personnel orders carry personal data."""
        roll = self.rng.random()
        if roll < 0.12:
            return self.rng.choice(("Про надання щорічної основної відпустки", "Про прийняття на роботу",
                                    "Про звільнення з роботи", "Про встановлення надбавки за інтенсивність праці",
                                    "Про направлення у відрядження")), True
        if roll < 0.2:
            quarter = self.rng.choice(("І", "ІІ", "ІІІ"))
            return f"Про преміювання працівників за підсумками роботи за {quarter} квартал {year} року", False
        forms = ("Про {a}", "Про створення робочої групи з питань {g}", "Про затвердження плану заходів щодо {g}",
                 "Про призначення відповідальних осіб щодо {g}")
        forms += ("Про організацію {g}",) if self.action else ()
        return self.rng.choice(forms).format(a=acc, g=gen), False

    def council_decision_summary(self, acc: str, year: int) -> str:
        roll = self.rng.random()
        street = self.rng.choice(STREETS)
        if roll < 0.25:
            return (f"Про затвердження Програми {self.rng.choice(PROGRAMS)} на {year}–{year + 2} роки")
        if roll < 0.4:
            return f"Про внесення змін до бюджету Соснівської міської територіальної громади на {year} рік"
        if roll < 0.5:
            quarter = self.rng.choice(("І квартал", "І півріччя", "дев'ять місяців"))
            return f"Про затвердження звіту про виконання бюджету громади за {quarter} {year} року"
        if roll < 0.7:
            return ("Про надання дозволу на розроблення проєкту землеустрою щодо відведення земельної ділянки "
                    f"по вул. {street}")
        if roll < 0.8:
            return f"Про передачу в оренду нежитлового приміщення по вул. {street}, {self.rng.randint(1, 80)}"
        return f"Про {acc}"

    def executive_decision_summary(self, acc: str) -> tuple[str, bool]:
        """(summary, has_personal_data)."""
        roll = self.rng.random()
        if roll < 0.12:
            return self.rng.choice(("Про надання статусу дитини, позбавленої батьківського піклування",
                                    "Про взяття громадян на квартирний облік",
                                    "Про встановлення опіки над недієздатною особою",
                                    "Про надання одноразової матеріальної допомоги")), True
        if roll < 0.3:
            return self.rng.choice((
                "Про встановлення тарифів на послуги з централізованого водопостачання та водовідведення "
                "КП «Соснівкаводоканал»",
                "Про встановлення режиму роботи об'єктів торгівлі та сфери послуг",
                "Про організацію ярмарку до Дня міста",
                "Про затвердження плану заходів з підготовки до опалювального періоду",
                "Про затвердження вартості проїзду в міському електричному транспорті")), False
        return f"Про {acc}", False

    def appeal_summary(self, gen: str) -> tuple[str, bool]:
        """(summary, collective)."""
        if self.rng.random() < 0.15:
            return (f"Колективне звернення мешканців будинку № {self.rng.randint(1, 90)} по вул. "
                    f"{self.rng.choice(STREETS)} щодо {gen}"), True
        return self.rng.choice(("Щодо {g}", "Скарга щодо {g}", "Пропозиція щодо {g}", "Прохання щодо {g}")
                               ).format(g=gen), False
