"""A generated corpus of CVs for the page-breaking rules: one to five pages, every entry
kind, long and short titles, Russian and English, every built-in theme.

`corpus()` is deterministic: CV number i = 5k + t has theme THEMES[t], language
("ru", "en")[k % 2], a size of 1 + (k + t) % 5 (about that many pages), so that every
theme gets every size in both languages over 30 CVs, and, for every third one, long
titles; the words come from a seeded random generator."""

from __future__ import annotations

import random
from dataclasses import dataclass

import yaml

THEMES = ("classic", "modern", "sidebar", "banking", "compact")

WORDS = {
    "ru": ("разработка модели сервис данных платформа обучение система анализ качество "
           "инфраструктура поиск рекомендации задержка нагрузка команда процесс релиз "
           "архитектура хранилище потоков метрики эксперимент пользователей запросов "
           "миграция надёжность стоимость точность кластер очередь индекс версия").split(),
    "en": ("development model service data platform training system analysis quality "
           "infrastructure search recommendations latency load team process release "
           "architecture storage streams metrics experiment users requests migration "
           "reliability cost accuracy cluster queue index version").split(),
}
VERBS = {
    "ru": "Снизила Построила Ускорила Перенесла Запустила Автоматизировала Внедрила".split(),
    "en": "Reduced Built Accelerated Migrated Launched Automated Introduced".split(),
}
NAMES = {"ru": ("Мария Кузнецова", "Иван Петров", "Ольга Смирнова"),
         "en": ("Mary Smith", "John Carter", "Alice Brown")}
CITIES = {"ru": ("Москва", "Санкт-Петербург", "Новосибирск"),
          "en": ("London", "Berlin", "Remote")}


@dataclass(frozen=True)
class Case:
    name: str
    theme: str
    lang: str
    size: int
    long_titles: bool
    text: str  # the cv.yaml


def _words(rng: random.Random, lang: str, n: int) -> str:
    return " ".join(rng.choice(WORDS[lang]) for _ in range(n))


def _sentence(rng: random.Random, lang: str, lo: int, hi: int) -> str:
    return f"{rng.choice(VERBS[lang])} {_words(rng, lang, rng.randint(lo, hi))}"


def _title(rng: random.Random, lang: str, long: bool) -> str:
    """A title of 1–3 words, or 9–14 when long, ending in a name of its own (as a
    company's or a project's), so that it reads back from one place only."""
    name = f"{rng.choice('KLMNPRSTVZ')}{rng.randint(100, 999)}"
    return f"{_words(rng, lang, rng.randint(8, 13) if long else rng.randint(0, 2))} {name}".strip().capitalize()


def _month(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}"


def make_cv(i: int) -> Case:
    rng = random.Random(1000 + i)
    k, t = divmod(i, len(THEMES))
    theme, lang = THEMES[t], ("ru", "en")[k % 2]
    size, long = 1 + (k + t) % 5, i % 3 == 0
    t = lambda: _title(rng, lang, long)  # noqa: E731
    jobs = []
    for n in range(2 * size - 1):
        year = 2023 - 2 * n
        job = {
            "company": t(), "position": t(), "location": rng.choice(CITIES[lang]),
            "start": _month(rng, year - 1), "end": "present" if n == 0 else _month(rng, year),
            "highlights": [_sentence(rng, lang, 6, 24) for _ in range(rng.randint(1, 1 + 2 * size))],
        }
        if rng.random() < 0.4:
            job["summary"] = _sentence(rng, lang, 10, 30)
        if rng.random() < 0.3:
            job["highlights"][0] = {"lead": _words(rng, lang, 2), "text": _words(rng, lang, 8),
                                    "items": [_words(rng, lang, 5) for _ in range(2)]}
        jobs.append(job)
    sections: list[dict] = [
        {"kind": "summary", "entries": [{"text": ". ".join(
            _sentence(rng, lang, 8, 16) for _ in range(size * 2)) + "."}]},
        {"kind": "experience", "entries": jobs},
        {"kind": "education", "entries": [
            {"institution": t(), "degree": _words(rng, lang, 2), "area": t(),
             "start": _month(rng, 2008), "end": _month(rng, 2012),
             "highlights": [_sentence(rng, lang, 4, 10) for _ in range(rng.randint(0, 3))]}
            for _ in range(1 + size // 3)]},
        {"kind": "projects", "entries": [
            {"project": t(), "url": f"https://github.com/user/p{i}-{n}",
             "description": _sentence(rng, lang, 8, 20), "stack": ["Python", "Go", "PostgreSQL"],
             "start": _month(rng, 2019), "end": _month(rng, 2020),
             "highlights": [_sentence(rng, lang, 5, 15) for _ in range(rng.randint(0, 3))]}
            for n in range(max(size - 1, 1))]},
        {"kind": "publications", "entries": [
            {"publication": t(), "authors": ["A. Author", "B. Author"], "venue": t(),
             "date": _month(rng, 2021), "doi": f"10.1000/xyz{i}{n}-long.suffix"}
            for n in range(size)]},
        {"kind": "awards", "entries": [
            {"award": t(), "issuer": _words(rng, lang, 2), "date": _month(rng, 2022)}]},
        {"kind": "certifications", "entries": [
            {"certification": t(), "issuer": _words(rng, lang, 2), "date": _month(rng, 2021),
             "url": "https://example.com/cert"}]},
        {"kind": "skills", "entries": [
            {"label": _words(rng, lang, 1), "skills": _words(rng, lang, 6).split()}
            for _ in range(1 + size)]},
        {"kind": "languages", "entries": [{"language": _words(rng, lang, 1), "level": "C1"}]},
        {"title": _title(rng, lang, long), "entries": [
            {"title": _words(rng, lang, 2), "bullets": [_sentence(rng, lang, 4, 12) for _ in range(3)]}]},
    ]
    rng.shuffle(sections[2:])  # the order of the later sections varies
    doc = {
        "languages": [lang],
        "header": {
            "name": rng.choice(NAMES[lang]), "headline": _words(rng, lang, 4),
            "location": rng.choice(CITIES[lang]),
            "contacts": {"email": "someone@example.com", "phone": "+7 900 123-45-67",
                         "github": "someone-long-handle", "linkedin": "someone-on-linkedin",
                         "telegram": "someone_tg", "website": "https://someone.example.com"},
        },
        "sections": sections,
        "max_pages": 5,
    }
    return Case(f"cv{i:02d}-{theme}-{lang}-{size}p{'-long' if long else ''}", theme, lang,
                size, long, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def corpus(n: int = 30) -> list[Case]:
    return [make_cv(i) for i in range(n)]
