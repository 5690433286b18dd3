"""Synthetic, realistic Ukrainian registry text, built combinatorially with real inflection.

Summaries («Про ремонт дороги на вулиці Шевченка, 12», «Звернення Коваленко Олени Іванівни щодо
видалення аварійних дерев») are assembled from templates whose slots are filled with adjective+noun
phrases inflected by pymorphy3 (case and number agree), so the same lemma appears in many word forms
across the corpus — what the search morphology has to handle. Lemma choice follows a Zipf law, so the
corpus has very common terms («ремонт», «дорога») and rare ones (the tail: «голубятня», «бювет»,
surnames, street names). Everything is deterministic for a given seed.
"""

from __future__ import annotations

import random
import warnings
from functools import cache
from itertools import accumulate

warnings.filterwarnings("ignore", category=DeprecationWarning)

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")

# Verbal nouns / actions, most frequent first.
ACTIONS = [
    "ремонт", "надання", "розгляд", "виділення", "погодження", "проведення", "встановлення", "утримання",
    "будівництво", "реконструкція", "видалення", "облаштування", "відшкодування", "затвердження", "оренда",
    "передача", "обстеження", "прибирання", "освітлення", "підключення", "перевірка", "заміна",
    "фінансування", "закупівля", "благоустрій", "відновлення", "модернізація", "утеплення", "озеленення",
    "демонтаж", "списання", "приватизація", "реєстрація", "продовження", "скасування", "інвентаризація",
    "паспортизація", "асфальтування", "санація", "дезінсекція",
]

# (adjective lemma or "", noun lemma), most frequent first; the tail is deliberately rare.
OBJECTS = [
    ("", "дорога"), ("багатоквартирний", "будинок"), ("земельний", "ділянка"), ("дитячий", "майданчик"),
    ("аварійний", "дерево"), ("комунальний", "майно"), ("вуличний", "освітлення"), ("міський", "бюджет"),
    ("", "тротуар"), ("", "дах"), ("загальноосвітній", "школа"), ("дошкільний", "заклад"),
    ("житловий", "приміщення"), ("", "зупинка"), ("зовнішній", "мережа"), ("", "світлофор"),
    ("спортивний", "майданчик"), ("", "подвір'я"), ("", "ліфт"), ("", "водопровід"), ("", "каналізація"),
    ("", "сквер"), ("", "парк"), ("", "кладовище"), ("", "бібліотека"), ("", "лікарня"),
    ("нежитловий", "приміщення"), ("", "під'їзд"), ("", "міст"), ("", "колодязь"), ("", "теплотраса"),
    ("", "котельня"), ("", "ринок"), ("", "стоянка"), ("", "паркан"), ("рекламний", "засіб"),
    ("тимчасовий", "споруда"), ("", "кіоск"), ("", "пам'ятник"), ("", "фонтан"), ("", "пандус"),
    ("", "шлагбаум"), ("", "бювет"), ("", "теплиця"), ("", "голубятня"), ("", "гідрант"),
    ("", "дамба"), ("", "водовідведення"), ("", "електрощитова"), ("", "бомбосховище"),
]

STREETS = [
    "Шевченка", "Грушевського", "Франка", "Лесі Українки", "Хмельницького", "Мазепи", "Сагайдачного",
    "Коновальця", "Бандери", "Петлюри", "Стуса", "Чорновола", "Вишневецького", "Сковороди", "Котляревського",
    "Гончара", "Симоненка", "Костенко", "Вернадського", "Антоновича", "Липинського", "Драгоманова",
    "Старицького", "Лисенка", "Лятошинського", "Кобилянської", "Стефаника", "Коцюбинського",
    "Нечуя-Левицького", "Мирного", "Рильського", "Тичини", "Сосюри", "Довженка", "Заньковецької",
    "Садова", "Польова", "Зарічна", "Лугова", "Соборна", "Набережна", "Козацька", "Героїв Майдану",
    "Незалежності", "Миру", "Європейська", "Підгірна", "Вокзальна", "Заводська", "Молодіжна",
]
STREET_KINDS = [("вулиці", 8), ("провулку", 2), ("проспекті", 1), ("бульварі", 1)]

SURNAMES = [
    "Коваленко", "Шевчук", "Мельник", "Бондар", "Ткачук", "Кравченко", "Бойко", "Олійник", "Лисенко",
    "Мороз", "Павленко", "Савченко", "Руденко", "Марченко", "Левченко", "Гуменюк", "Поліщук", "Ковальчук",
    "Карпенко", "Тимошенко", "Сидоренко", "Зінченко", "Гриценко", "Костенко", "Демченко", "Клименко",
    "Петренко", "Дмитренко", "Федорук", "Романюк", "Кушнір", "Гребенюк", "Яковенко", "Стельмах", "Захарчук",
    "Приходько", "Онищенко", "Вакуленко", "Лук'яненко", "Остапчук", "Пилипенко", "Тарасюк", "Чорновіл",
    "Білоус", "Дорошенко", "Гайдамака", "Задорожний", "Верес", "Нестеренко", "Соловйов",
]
MALE = [("Олександр", "Олександрович"), ("Петро", "Петрович"), ("Іван", "Іванович"), ("Богдан", "Богданович"),
        ("Андрій", "Андрійович"), ("Василь", "Васильович"), ("Микола", "Миколайович"),
        ("Юрій", "Юрійович"), ("Тарас", "Тарасович"), ("Степан", "Степанович"), ("Олег", "Олегович"),
        ("Сергій", "Сергійович")]
FEMALE = [("Олена", "Олександрівна"), ("Ірина", "Петрівна"), ("Марія", "Іванівна"), ("Наталія", "Богданівна"),
          ("Оксана", "Андріївна"), ("Галина", "Василівна"), ("Тетяна", "Миколаївна"), ("Людмила", "Юріївна"),
          ("Світлана", "Тарасівна"), ("Ганна", "Степанівна"), ("Катерина", "Олегівна"), ("Віра", "Сергіївна")]

# Correspondent organisations: (nominative, genitive).
ORGS = [
    ("Київська обласна державна адміністрація", "Київської обласної державної адміністрації"),
    ("Головне управління Держгеокадастру у Київській області",
     "Головного управління Держгеокадастру у Київській області"),
    ("Головне управління ДПС у Київській області", "Головного управління ДПС у Київській області"),
    ("Управління Державної казначейської служби", "Управління Державної казначейської служби"),
    ("Районна військова адміністрація", "Районної військової адміністрації"),
    ("Територіальний центр комплектування та соціальної підтримки",
     "Територіального центру комплектування та соціальної підтримки"),
    ("Головне управління Національної поліції", "Головного управління Національної поліції"),
    ("Державна служба з надзвичайних ситуацій", "Державної служби з надзвичайних ситуацій"),
    ("Міністерство розвитку громад та територій", "Міністерства розвитку громад та територій"),
    ("Міністерство освіти і науки України", "Міністерства освіти і науки України"),
    ("Пенсійний фонд України", "Пенсійного фонду України"),
    ("Рахункова палата", "Рахункової палати"),
    ("Окружна прокуратура", "Окружної прокуратури"),
    ("Окружний адміністративний суд", "Окружного адміністративного суду"),
    ("Державна екологічна інспекція", "Державної екологічної інспекції"),
    ("Служба автомобільних доріг у Київській області", "Служби автомобільних доріг у Київській області"),
    ("КП «Міськводоканал»", "КП «Міськводоканал»"),
    ("КП «Міськсвітло»", "КП «Міськсвітло»"),
    ("КП «Житлосервіс»", "КП «Житлосервіс»"),
    ("ТОВ «Будівельна компанія Граніт»", "ТОВ «Будівельна компанія Граніт»"),
    ("ПрАТ «Київобленерго»", "ПрАТ «Київобленерго»"),
    ("АТ «Укрпошта»", "АТ «Укрпошта»"),
    ("ОСББ «Сонячний»", "ОСББ «Сонячний»"),
    ("ГО «Зелене місто»", "ГО «Зелене місто»"),
    ("Благодійний фонд «Надія»", "Благодійного фонду «Надія»"),
    ("Міська рада", "міської ради"),
    ("Виконавчий комітет міської ради", "виконавчого комітету міської ради"),
    ("Депутат міської ради", "депутата міської ради"),
]

INSTITUTIONS_GEN = [
    "ліцею № {n}", "гімназії № {n}", "закладу дошкільної освіти № {n}", "центральної міської лікарні",
    "центру первинної медико-санітарної допомоги", "палацу культури", "дитячо-юнацької спортивної школи",
    "центру надання адміністративних послуг", "міської публічної бібліотеки", "територіального центру",
]

# Templates. Slots: {A:case}, {O:case[:plur]}, {O2:...}, {A2:...}, {LOC}, {PERSON_GEN}, {ORG_GEN}, {INST},
# {N}, {YEAR}. Weight first.
TEMPLATES = [
    (10, "Про {A:accs} {O:gent} на {LOC}"),
    (8, "Щодо {A:gent} {O:gent:plur} у місті"),
    (8, "Звернення {PERSON_GEN} щодо {A:gent} {O:gent}"),
    (7, "Про {A:accs} {O:gent} {LOC2} та {A2:accs} {O2:gent}"),
    (6, "Лист {ORG_GEN} про {A:accs} {O:gent:plur}"),
    (5, "Скарга мешканців будинку № {N} на {LOC} на незадовільний стан {O:gent}"),
    (4, "Запит на публічну інформацію щодо {A:gent} {O:gent:plur} у {YEAR} році"),
    (4, "Клопотання про {A:accs} {O:gent} для потреб {INST}"),
    (3, "Надання відповіді на звернення {PERSON_GEN} стосовно {A:gent} {O:gent}"),
    (3, "Доручення {ORG_GEN} щодо контролю за {A:ablt} {O:gent:plur}"),
    (3, "Інформація про стан {A:gent} {O:gent:plur} та {O2:gent:plur}"),
    (2, "Про виділення коштів з міського бюджету на {A:accs} {O:gent}"),
    (2, "Акт обстеження {O:gent} на {LOC} після {A:gent} {O2:gent}"),
    (2, "Заява {PERSON_GEN} про {A:accs} {O:gent} за адресою: {LOC_PLAIN}"),
    (1, "Протокол наради з питань {A:gent} {O:gent:plur} та {O2:gent:plur}"),
]


def _zipf_cum(n: int, s: float = 1.05) -> list[float]:
    return list(accumulate(1.0 / (i + 1) ** s for i in range(n)))


class Morph:
    """pymorphy3 (Ukrainian) with memoised phrase inflection."""

    def __init__(self) -> None:
        import pymorphy3

        self.m = pymorphy3.MorphAnalyzer(lang="uk")

    @cache  # noqa: B019 - one Morph per process, cache wanted for its lifetime
    def _noun(self, lemma: str):
        parses = self.m.parse(lemma)
        for p in parses:
            if "NOUN" in p.tag and "nomn" in p.tag and "plur" not in p.tag and p.normal_form == lemma:
                return p
        for p in parses:
            if "NOUN" in p.tag:
                return p
        return parses[0]

    @cache  # noqa: B019
    def _adj(self, lemma: str):
        for p in self.m.parse(lemma):
            if "ADJF" in p.tag and "masc" in p.tag and "nomn" in p.tag:
                return p
        return self.m.parse(lemma)[0]

    @cache  # noqa: B019
    def noun(self, lemma: str, case: str, plural: bool = False) -> str:
        p = self._noun(lemma)
        grams = {case, "plur"} if plural else {case, "sing"}
        form = p.inflect(grams) or p.inflect({case})
        return form.word if form else lemma

    @cache  # noqa: B019
    def phrase(self, adj: str, noun: str, case: str, plural: bool = False) -> str:
        word = self.noun(noun, case, plural)
        if not adj:
            return word
        p = self._noun(noun)
        if plural:
            grams = {case, "plur"}
        else:
            gender = next((g for g in ("masc", "femn", "neut") if g in p.tag), "masc")
            grams = {case, gender}
        a = self._adj(adj).inflect(grams)
        return f"{a.word if a else adj} {word}"

    @cache  # noqa: B019
    def person_gen(self, surname: str, first: str, patronymic: str, female: bool) -> str:
        words = []
        for w in (surname, first, patronymic):
            best = None
            for p in self.m.parse(w):
                if ("femn" in p.tag) == female and ("Surn" in p.tag or "Name" in p.tag or "Patr" in p.tag):
                    best = p
                    break
            form = best.inflect({"gent"}) if best else None
            # Surnames in -енко/-ук do not decline for women; pymorphy's guess is kept otherwise.
            words.append(form.word.capitalize() if form and not (female and w.endswith(("о", "к")))
                         else w)
        return " ".join(words)


class Generator:
    """Deterministic stream of document texts."""

    def __init__(self, seed: int = 20260101) -> None:
        self.rng = random.Random(seed)
        self.morph = Morph()
        self._actions_cum = _zipf_cum(len(ACTIONS))
        self._objects_cum = _zipf_cum(len(OBJECTS), 1.15)
        self._streets_cum = _zipf_cum(len(STREETS), 0.9)
        self._surnames_cum = _zipf_cum(len(SURNAMES), 0.8)
        self._orgs_cum = _zipf_cum(len(ORGS), 0.9)
        self._templates = [t for _w, t in TEMPLATES]
        self._templates_cum = list(accumulate(w for w, _t in TEMPLATES))
        self._street_kinds = [k for k, _w in STREET_KINDS]
        self._street_kinds_cum = list(accumulate(w for _k, w in STREET_KINDS))

    def _pick(self, items, cum):
        return self.rng.choices(items, cum_weights=cum, k=1)[0]

    def action(self) -> str:
        return self._pick(ACTIONS, self._actions_cum)

    def obj(self) -> tuple[str, str]:
        return self._pick(OBJECTS, self._objects_cum)

    def street(self) -> str:
        return self._pick(STREETS, self._streets_cum)

    def location(self) -> str:
        kind = self.rng.choices(self._street_kinds, cum_weights=self._street_kinds_cum, k=1)[0]
        return f"{kind} {self.street()}, {self.rng.randint(1, 180)}"

    def person(self) -> tuple[str, str, str, bool]:
        female = self.rng.random() < 0.55
        first, patronymic = self.rng.choice(FEMALE if female else MALE)
        return self._pick(SURNAMES, self._surnames_cum), first, patronymic, female

    def person_nomn(self) -> str:
        surname, first, patronymic, _female = self.person()
        return f"{surname} {first} {patronymic}"

    def org(self) -> tuple[str, str]:
        return self._pick(ORGS, self._orgs_cum)

    def correspondent(self) -> str:
        return self.org()[0] if self.rng.random() < 0.6 else self.person_nomn()

    def summary(self) -> str:
        template = self.rng.choices(self._templates, cum_weights=self._templates_cum, k=1)[0]
        out = []
        for literal, field in _parse(template):
            out.append(literal)
            if field:
                out.append(self._fill(field))
        return "".join(out)

    def _fill(self, field: str) -> str:
        name, _, rest = field.partition(":")
        case, _, number = rest.partition(":")
        plural = number == "plur"
        m = self.morph
        if name in ("A", "A2"):
            return m.noun(self.action(), case or "nomn")
        if name in ("O", "O2"):
            adj, noun = self.obj()
            return m.phrase(adj, noun, case or "nomn", plural)
        if name == "LOC":
            return self.location()
        if name == "LOC2":
            return "на " + self.location() if self.rng.random() < 0.5 else "у мікрорайоні " + self.street()
        if name == "LOC_PLAIN":
            return f"вул. {self.street()}, {self.rng.randint(1, 180)}, кв. {self.rng.randint(1, 120)}"
        if name == "PERSON_GEN":
            return m.person_gen(*self.person())
        if name == "ORG_GEN":
            return self.org()[1]
        if name == "INST":
            return self.rng.choice(INSTITUTIONS_GEN).format(n=self.rng.randint(1, 30))
        if name == "N":
            return str(self.rng.randint(1, 180))
        if name == "YEAR":
            return str(self.rng.randint(2019, 2025))
        raise ValueError(field)

    # --- queries ---------------------------------------------------------------------------------

    def queries(self, n: int = 200) -> list[dict[str, str]]:
        """A fixed mix of 1-3 inflected words, common and rare, plus a few with stray punctuation."""
        rng = random.Random(7)
        m = self.morph
        top_actions, rare_actions = ACTIONS[:8], ACTIONS[-12:]
        top_objects, rare_objects = OBJECTS[:10], OBJECTS[-14:]
        out: list[dict[str, str]] = []

        def add(kind: str, text: str) -> None:
            out.append({"kind": kind, "query": text})

        plan = [("1w-common", 0.25), ("1w-rare", 0.15), ("2w-common", 0.2), ("2w-rare", 0.1),
                ("3w", 0.2), ("person", 0.05), ("messy", 0.05)]
        for kind, share in plan:
            for _ in range(round(n * share)):
                case = rng.choice(CASES)
                plural = rng.random() < 0.3
                if kind == "1w-common":
                    word = m.noun(rng.choice(top_actions), case) if rng.random() < 0.4 else \
                        m.noun(rng.choice(top_objects)[1], case, plural)
                    add(kind, word)
                elif kind == "1w-rare":
                    if rng.random() < 0.5:
                        add(kind, m.noun(rng.choice(rare_objects)[1], case, plural))
                    else:  # a street of the Zipf tail: in ~0.1-0.5 % of the cards
                        add("1w-street", rng.choice(STREETS[-20:]).split()[0])
                elif kind == "2w-common":
                    add(kind, f"{m.noun(rng.choice(top_actions), case)} "
                              f"{m.phrase('', rng.choice(top_objects)[1], 'gent', plural)}")
                elif kind == "2w-rare":
                    adj, noun = rng.choice(rare_objects)
                    add(kind, f"{m.noun(rng.choice(rare_actions), case)} {m.phrase(adj, noun, 'gent', plural)}")
                elif kind == "3w":
                    adj, noun = rng.choice([o for o in OBJECTS[:25] if o[0]])
                    add(kind, f"{m.noun(rng.choice(ACTIONS[:20]), case)} {m.phrase(adj, noun, 'gent', plural)}")
                elif kind == "person":
                    surname = rng.choice(SURNAMES)
                    add(kind, f"{surname} {rng.choice(FEMALE + MALE)[0]}")
                else:
                    word = m.noun(rng.choice(top_objects)[1], case, plural)
                    add(kind, rng.choice([f"«{word}»", f"{word}-*", f'"{word}" OR NOT', f"{word}:(",
                                          f"-{word} AND (", f"{word}*"]))
        fixed = ["зверненням міської ради", "доріг", "рада", "ремонту доріг", "аварійних дерев"]
        for i, text in enumerate(fixed):
            out[i * 7] = {"kind": "fixed", "query": text}
        return out[:n]


def _parse(template: str) -> list[tuple[str, str]]:
    """Split "a {X:y} b" into [("a ", "X:y"), (" b", "")] (str.format parsing without formatting)."""
    import string

    return [(lit, (field or "") + (f":{spec}" if spec else ""))
            for lit, field, spec, _conv in string.Formatter().parse(template)]


if __name__ == "__main__":
    g = Generator()
    for _ in range(15):
        print(g.summary(), "|", g.correspondent())
    for q in g.queries(30):
        print(q)
