"""The words of a cover letter, per language: its name (the PDF's Title, a bookmark), the
label of the position line, and the salutation and closing of each language's business
letters. A row for every language of locales.LANGUAGES (a test holds them together);
a language without a row has no letter: an application in it is refused, never
written in English words. This module imports nothing of cvbuild.

Salutations take the recipient's name as the application gives it (the person writes
it as their language wants it: "Ms Petrova", «Анна Петровна», "Frau Dr. Weber").
Where a language's salutation agrees with the person (Russian «Уважаемая»/«Уважаемый»,
German "Sehr geehrte"/"Sehr geehrter", …), `recipient.gender` chooses; left out (or
`neutral`), a greeting that fits anyone is used ("Здравствуйте, …!", "Guten Tag …,"),
never a guess. With no name: the language's form for an unknown reader. Where the
language does not inflect the salutation (English "Dear …,", Italian "Gentile …,",
Dutch "Geachte …,"), the three forms are the same.
"""

from __future__ import annotations

# Each row: cover_letter (the document's name), cover_letter_and_cv (the merged PDF's),
# cv (the CV's bookmark in the merged PDF), position (the label before the job's name),
# female / male / neutral ({name} is the recipient's), nobody, closing.
LETTER_WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "cover_letter": "Сопроводительное письмо",
        "cover_letter_and_cv": "Сопроводительное письмо и резюме",
        "cv": "Резюме",
        "position": "Вакансия",
        "female": "Уважаемая {name}!",
        "male": "Уважаемый {name}!",
        "neutral": "Здравствуйте, {name}!",
        "nobody": "Здравствуйте!",
        "closing": "С уважением,",
    },
    "en": {
        "cover_letter": "Cover letter",
        "cover_letter_and_cv": "Cover letter and CV",
        "cv": "CV",
        "position": "Position",
        "female": "Dear {name},",
        "male": "Dear {name},",
        "neutral": "Dear {name},",
        "nobody": "Dear Hiring Manager,",
        "closing": "Sincerely,",
    },
    "uk": {
        "cover_letter": "Супровідний лист",
        "cover_letter_and_cv": "Супровідний лист і резюме",
        "cv": "Резюме",
        "position": "Вакансія",
        "female": "Шановна {name}!",
        "male": "Шановний {name}!",
        "neutral": "Добрий день, {name}!",
        "nobody": "Добрий день!",
        "closing": "З повагою,",
    },
    "bg": {
        "cover_letter": "Мотивационно писмо",
        "cover_letter_and_cv": "Мотивационно писмо и автобиография",
        "cv": "Автобиография",
        "position": "Позиция",
        "female": "Уважаема {name},",
        "male": "Уважаеми {name},",
        "neutral": "Здравейте, {name},",
        "nobody": "Уважаеми дами и господа,",
        "closing": "С уважение,",
    },
    "de": {
        "cover_letter": "Anschreiben",
        "cover_letter_and_cv": "Anschreiben und Lebenslauf",
        "cv": "Lebenslauf",
        "position": "Stelle",
        "female": "Sehr geehrte {name},",
        "male": "Sehr geehrter {name},",
        "neutral": "Guten Tag {name},",
        "nobody": "Sehr geehrte Damen und Herren,",
        "closing": "Mit freundlichen Grüßen",  # no comma: the German custom
    },
    "fr": {
        "cover_letter": "Lettre de motivation",
        "cover_letter_and_cv": "Lettre de motivation et CV",
        "cv": "CV",
        "position": "Poste",
        "female": "Madame {name},",
        "male": "Monsieur {name},",
        "neutral": "Bonjour {name},",
        "nobody": "Madame, Monsieur,",
        "closing": "Cordialement,",
    },
    "es": {
        "cover_letter": "Carta de presentación",
        "cover_letter_and_cv": "Carta de presentación y currículum",
        "cv": "Currículum",
        "position": "Puesto",
        "female": "Estimada {name}:",
        "male": "Estimado {name}:",
        "neutral": "Hola, {name}:",
        "nobody": "Estimados señores:",
        "closing": "Atentamente,",
    },
    "it": {
        "cover_letter": "Lettera di presentazione",
        "cover_letter_and_cv": "Lettera di presentazione e curriculum vitae",
        "cv": "Curriculum vitae",
        "position": "Posizione",
        "female": "Gentile {name},",
        "male": "Gentile {name},",
        "neutral": "Gentile {name},",
        "nobody": "Spettabile azienda,",
        "closing": "Cordiali saluti,",
    },
    "pt": {
        "cover_letter": "Carta de apresentação",
        "cover_letter_and_cv": "Carta de apresentação e currículo",
        "cv": "Currículo",
        "position": "Vaga",
        "female": "Prezada {name},",
        "male": "Prezado {name},",
        "neutral": "Olá, {name},",
        "nobody": "Prezados senhores,",
        "closing": "Atenciosamente,",
    },
    "pl": {
        "cover_letter": "List motywacyjny",
        "cover_letter_and_cv": "List motywacyjny i CV",
        "cv": "CV",
        "position": "Stanowisko",
        "female": "Szanowna Pani {name},",
        "male": "Szanowny Panie {name},",
        "neutral": "Dzień dobry, {name},",
        "nobody": "Szanowni Państwo,",
        "closing": "Z poważaniem,",
    },
    "cs": {
        "cover_letter": "Motivační dopis",
        "cover_letter_and_cv": "Motivační dopis a životopis",
        "cv": "Životopis",
        "position": "Pozice",
        "female": "Vážená paní {name},",
        "male": "Vážený pane {name},",
        "neutral": "Dobrý den, {name},",
        "nobody": "Vážená paní, vážený pane,",
        "closing": "S pozdravem,",
    },
    "nl": {
        "cover_letter": "Sollicitatiebrief",
        "cover_letter_and_cv": "Sollicitatiebrief en cv",
        "cv": "Cv",
        "position": "Functie",
        "female": "Geachte {name},",
        "male": "Geachte {name},",
        "neutral": "Geachte {name},",
        "nobody": "Geachte heer, mevrouw,",
        "closing": "Met vriendelijke groet,",
    },
}


def letter_words(lang: str) -> dict[str, str]:
    """The letter words of a language that has them (application.py refuses the others)."""
    return LETTER_WORDS[lang]
