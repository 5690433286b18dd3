"""One-page documents of the demo as HTML on a simple blank (rendered to PDF by ``demo_pdf``).

Each page is a ``<section>``; many pages are rendered in one WeasyPrint call and split afterwards,
which is ~4× faster than one call per letter. Every page must fit on one A4 sheet: texts are short.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape

CSS = """
@page { size: A4; margin: 18mm 15mm 18mm 28mm;
        @bottom-center { content: "DEMO_FOOTER"; font-family: 'DejaVu Sans', sans-serif; font-size: 7pt; color: #888; } }
body { font-family: 'DejaVu Serif', serif; font-size: 11.5pt; line-height: 1.35; color: #111; }
section { page-break-after: always; }
.blank { text-align: center; border-bottom: 2px solid #1f3f7a; padding-bottom: 6pt; margin-bottom: 10pt; }
.blank .org { font-weight: bold; font-size: 12.5pt; }
.blank .sub { font-size: 8.5pt; color: #333; }
.meta { display: flex; justify-content: space-between; margin: 8pt 0 14pt; }
.meta .num { width: 45%; }
.meta .to { width: 48%; }
.title { font-weight: bold; margin: 10pt 0; }
.doctitle { text-align: center; font-weight: bold; font-size: 14pt; letter-spacing: 2pt; margin: 6pt 0; }
.place { display: flex; justify-content: space-between; margin-bottom: 8pt; }
p { text-align: justify; text-indent: 12mm; margin: 0 0 6pt; }
p.noindent { text-indent: 0; }
.sign { display: flex; justify-content: space-between; margin-top: 22pt; }
.sign .who { width: 55%; }
.exec { margin-top: 30pt; font-size: 8.5pt; color: #333; }
.stamp { margin-top: 14pt; margin-left: auto; width: 62mm; border: 1.5px solid #1f3f7a; color: #1f3f7a;
         font-size: 9pt; padding: 3pt 6pt; }
"""

DEMO_FOOTER = "Навчальний документ демонстраційної інсталяції «Ратуша». Особи та організації вигадані."
CSS = CSS.replace("DEMO_FOOTER", DEMO_FOOTER)


@dataclass
class Page:
    """One page: a blank (sender), registration data, addressee, title and text, signature."""

    header: str = ""
    header_sub: str = ""
    doc_title: str = ""
    place_line: str = ""
    number_line: str = ""
    addressee: list[str] = field(default_factory=list)
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    sign_position: str = ""
    sign_name: str = ""
    executor_line: str = ""
    stamp: str = ""

    def text(self) -> str:
        """The words of the page in reading order (what the PDF's text layer holds)."""
        parts = [self.header.upper(), self.header_sub, self.number_line, *self.addressee, self.doc_title,
                 self.place_line.replace("|", " "), self.title, *self.paragraphs, self.sign_position, self.sign_name,
                 self.stamp, self.executor_line, DEMO_FOOTER]
        return "\n".join(" ".join(p.split()) for p in parts if p and p.strip())

    def html(self) -> str:
        out = ["<section>"]
        if self.header:
            out.append(f'<div class="blank"><div class="org">{escape(self.header.upper())}</div>'
                       f'<div class="sub">{escape(self.header_sub)}</div></div>')
        if self.number_line or self.addressee:
            to = "<br>".join(escape(line) for line in self.addressee)
            number = escape(self.number_line).replace("\n", "<br>")
            out.append(f'<div class="meta"><div class="num">{number}</div>'
                       f'<div class="to">{to}</div></div>')
        if self.doc_title:
            out.append(f'<div class="doctitle">{escape(self.doc_title)}</div>')
        if self.place_line:  # «дата | місце | номер»
            cells = "".join(f"<span>{escape(c.strip())}</span>" for c in self.place_line.split("|"))
            out.append(f'<div class="place">{cells}</div>')
        if self.title:
            out.append(f'<div class="title">{escape(self.title)}</div>')
        out.extend(f"<p>{escape(p)}</p>" for p in self.paragraphs)
        if self.sign_name:
            out.append(f'<div class="sign"><div class="who">{escape(self.sign_position)}</div>'
                       f"<div>{escape(self.sign_name)}</div></div>")
        if self.stamp:
            out.append(f'<div class="stamp">{escape(self.stamp)}</div>')
        if self.executor_line:
            out.append(f'<div class="exec">{escape(self.executor_line)}</div>')
        out.append("</section>")
        return "".join(out)


def document_html(pages: list[Page]) -> str:
    return (f'<!doctype html><html lang="uk"><head><meta charset="utf-8"><style>{CSS}</style></head>'
            f'<body>{"".join(p.html() for p in pages)}</body></html>')


# --- texts --------------------------------------------------------------------------------------

REQUEST_BASES = ("доручення Кабінету Міністрів України", "листа Міністерства розвитку громад та територій України",
                 "плану заходів на поточний рік", "протокольного доручення наради керівників",
                 "вимог Закону України «Про місцеве самоврядування в Україні»")
COMPLAINT_DETAILS = (
    "Питання неодноразово порушувалося мешканцями, проте досі не вирішене.",
    "Ситуація створює незручності для мешканців, зокрема для людей похилого віку та батьків з дітьми.",
    "Звертаюся вже вдруге: попереднє звернення залишилося без належного реагування.",
    "Прошу вжити заходів якнайшвидше, оскільки стан справ погіршується.",
)
ANSWER_DETAILS = (
    "Зазначені роботи включено до плану заходів на поточний рік; фінансування передбачено в межах "
    "бюджетних призначень.",
    "Питання перебуває на контролі; про результати додатково повідомимо у встановлений строк.",
    "Для вирішення питання створено робочу групу з представників профільних структурних підрозділів.",
    "Відповідно до проведеного обстеження роботи заплановано на наступний квартал.",
    "Запитувану інформацію наведено в додатку до цього листа.",
)
ORDER_PURPOSES = ("забезпечення належної організації", "підвищення ефективності", "забезпечення виконання",
                  "упорядкування роботи")


def incoming_text(rng: random.Random, gen: str, *, source: str, deadline: str) -> list[str]:
    if source == "resident":
        return [f"Прошу розглянути моє звернення щодо {gen}. {rng.choice(COMPLAINT_DETAILS)}",
                "Про результати розгляду прошу повідомити письмово за вказаною адресою або електронною поштою.",
                "Даю згоду на обробку моїх персональних даних відповідно до Закону України «Про захист "
                "персональних даних»."]
    if source == "company":
        return [f"Висловлюємо Вам повагу та звертаємося щодо {gen}.",
                "Просимо розглянути порушене питання та повідомити про прийняте рішення у встановлений "
                "законодавством строк. Готові надати додаткові матеріали на Ваш запит.",
                f"Додатки: згідно з описом на {rng.randint(1, 6)} арк."]
    return [f"На виконання {rng.choice(REQUEST_BASES)} просимо надати інформацію щодо {gen}.",
            f"Інформацію просимо надати до {deadline} на електронну адресу відправника із зазначенням "
            "відповідальної особи та її контактного телефону.",
            "Звертаємо увагу на необхідність дотримання встановлених строків."]


def answer_text(rng: random.Random, gen: str, *, ref: str, to_resident: bool) -> list[str]:
    text = [f"Розглянувши {'Ваше звернення' if to_resident else 'Ваш лист'} {ref} щодо {gen}, повідомляємо "
            "таке.", rng.choice(ANSWER_DETAILS)]
    if to_resident:
        text.append("У разі незгоди з відповіддю Ви маєте право оскаржити її в порядку, визначеному статтею 16 "
                    "Закону України «Про звернення громадян».")
    return text


def memo_text(rng: random.Random, gen: str) -> list[str]:
    return [f"Доводжу до Вашого відома, що потребує вирішення питання щодо {gen}.",
            rng.choice(ANSWER_DETAILS),
            "Прошу розглянути можливість погодження запропонованих заходів."]


def act_text(rng: random.Random, gen: str, *, verb: str, doc_genitive: str, control: str) -> list[str]:
    return [f"Відповідно до Закону України «Про місцеве самоврядування в Україні», з метою "
            f"{rng.choice(ORDER_PURPOSES)} роботи щодо {gen},",
            verb,
            f"1. Затвердити план заходів щодо {gen} (додається).",
            "2. Керівникам структурних підрозділів забезпечити виконання заходів у встановлені строки та "
            "поінформувати про результати.",
            f"3. Контроль за виконанням цього {doc_genitive} покласти на {control}."]
