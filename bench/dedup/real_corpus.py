"""Real documents from ``../shared/data`` with planted copies, for the dedup benchmarks.

Base documents (all real text, made outside this project; see ``../shared/data/SOURCES.md``):

- ``en-wiki``: wikitext-2 articles (valid + test), split at their top-level ``= Title =`` headings,
  the tokeniser's spacing folded back (" , " -> ", ", "@-@" -> "-");
- ``zh-news``: CCTV news transcripts (``corpora/zh-news``), 300 characters or more;
- ``ja-novel``: *Wagahai wa neko de aru* (Aozora), runs of paragraphs of about 1,000 characters;
- ``en-pages``: the hand-checked main text of real modern pages (``pages/wceb`` ground truth);
- ``zh-pages``: the hand-copied main text of real Chinese pages (``pages/zh-web-extraction``).

Planted copies, one per base document, the kind rotating over ``KINDS``: an exact copy, copies with a
share ``e`` of words edited (characters for zh / ja; each edit a substitution, deletion or insertion
with probabilities 0.6 / 0.2 / 0.2, new words drawn from the same source), and a template variant
(the same body inside another site's header and footer; the original gets a header and footer too).
Hard negatives, which must *not* be clustered: for every fourth base document, a document made of
its first half and the second half of another document of the same language (Jaccard about 1/3
with each: related text, not a near duplicate). Everything is seeded.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
EDIT_RATES = (0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.10)
KINDS = tuple(f"edit@{r:.2f}" for r in EDIT_RATES) + ("template",)
CJK = ("zh", "ja")

_HEADERS = {
    "en": [
        "Home | News | Sport | Business | Contact us\nSubscribe to our newsletter for the latest updates",
        "Skip to main content\nMenu Search Sign in Register\nYou are here: Home > Articles",
        "Breaking news alerts delivered to your inbox. Sign up now\nTopics Latest Popular Opinion Video",
    ],
    "zh": [
        "首页 | 新闻 | 体育 | 财经 | 联系我们\n订阅我们的新闻通讯，获取最新资讯",
        "跳到主要内容\n菜单 搜索 登录 注册\n当前位置：首页 > 文章",
        "突发新闻提醒将发送到您的邮箱。立即注册\n热点 最新 推荐 评论 视频",
    ],
    "ja": [
        "ホーム | ニュース | スポーツ | 経済 | お問い合わせ\nメールマガジンで最新情報をお届けします",
        "本文へスキップ\nメニュー 検索 ログイン 会員登録\n現在の位置：ホーム > 記事",
        "速報をメールでお届けします。今すぐ登録\n話題 最新 人気 意見 動画",
    ],
}
_FOOTERS = {
    "en": [
        "Share this article: Facebook Twitter Email\nCopyright 2025 Example Media Group. All rights reserved.",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.\nPrivacy Terms",
        "Related articles\nComments are closed.\n(c) 2024 The Daily Site | About | Advertise | Careers",
    ],
    "zh": [
        "分享到：微博 微信 邮件\n版权所有 2025 示例传媒集团 保留所有权利",
        "我们使用Cookie来改善您的体验。继续浏览即表示您同意我们的Cookie政策。\n隐私 条款",
        "相关文章\n评论已关闭。\n(c) 2024 每日网站 | 关于 | 广告 | 招聘",
    ],
    "ja": [
        "この記事をシェア：Facebook Twitter メール\nCopyright 2025 Example Media Group. All rights reserved.",
        "当サイトはCookieを使用しています。閲覧を続けるとCookieポリシーに同意したものとみなされます。\nプライバシー 規約",
        "関連記事\nコメントは締め切られました。\n(c) 2024 デイリーサイト | 会社概要 | 広告 | 採用",
    ],
}


def _fold_wikitext(text: str) -> str:
    for a, b in ((" @-@ ", "-"), (" @,@ ", ","), (" @.@ ", "."), (" , ", ", "), (" . ", ". "), (" ; ", "; ")):
        text = text.replace(a, b)
    return re.sub(r" ([.,;:)'\"])", r"\1", text).replace("( ", "(")


def wiki_articles() -> list[str]:
    out = []
    for name in ("valid.txt", "test.txt"):
        raw = (SHARED / "corpora" / "wikitext-2" / name).read_text(encoding="utf-8")
        for block in re.split(r"\n = [^=\n]+ = \n", raw):
            lines = [_fold_wikitext(line.strip()) for line in block.splitlines()]
            text = "\n".join(line for line in lines if line and not line.startswith("="))
            if len(text.split()) >= 150:
                out.append(text)
    return out


def zh_news(limit: int) -> list[str]:
    with gzip.open(SHARED / "corpora" / "zh-news" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        texts = (json.loads(line)["text"] for line in fh)
        return [t for t in texts if len(t) >= 300][:limit]


def ja_novel(chunk_chars: int = 1000) -> list[str]:
    text = (SHARED / "corpora" / "sentencepiece" / "wagahaiwa_nekodearu.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.splitlines() if len(p.strip()) > 20][20:]  # skip the notes on markup
    out, current = [], []
    for p in paragraphs:
        current.append(p)
        if sum(map(len, current)) >= chunk_chars:
            out.append("\n".join(current))
            current = []
    return out


def en_pages(limit: int) -> list[str]:
    out = []
    for path in sorted((SHARED / "pages" / "wceb" / "benchmark" / "ground-truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8")).get("ground_truth", {})
        text = truth.get("main_content") or ""
        if len(text.split()) >= 150:
            out.append(text)
    return out[:limit]


def zh_pages() -> list[str]:
    folder = SHARED / "pages" / "zh-web-extraction" / "cleaned"
    texts = [p.read_text(encoding="utf-8", errors="replace").strip() for p in sorted(folder.glob("*.txt"))]
    return [t for t in texts if len(t) >= 300]


def base_documents(per_source: int = 300) -> list[dict]:
    """{"id", "source", "language", "text"} of every base document (at most ``per_source`` a source)."""
    sources = [
        ("en-wiki", "en", wiki_articles()[:per_source]),
        ("zh-news", "zh", zh_news(per_source)),
        ("ja-novel", "ja", ja_novel()[:per_source]),
        ("en-pages", "en", en_pages(per_source)),
        ("zh-pages", "zh", zh_pages()[:per_source]),
    ]
    return [
        {"id": f"{name}-{i:04d}", "source": name, "language": lang, "text": text}
        for name, lang, texts in sources
        for i, text in enumerate(texts)
    ]


def _units(text: str, language: str) -> list[str]:
    """Edit units: words, or non-space characters for zh / ja (line breaks kept as units)."""
    if language in CJK:
        return [c for c in text if c not in " \t"]
    return re.findall(r"\S+|\n", text)


def _join(units: list[str], language: str) -> str:
    if language in CJK:
        return "".join(units)
    return " ".join(units).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


def edit(text: str, language: str, rate: float, vocab: list[str], rng: random.Random) -> str:
    """``text`` with a share ``rate`` of its units edited (see the module docstring)."""
    out = []
    for unit in _units(text, language):
        if unit == "\n" or rng.random() >= rate:
            out.append(unit)
            continue
        roll = rng.random()
        if roll < 0.6:
            out.append(rng.choice(vocab))
        elif roll < 0.8:
            continue
        else:
            out += [unit, rng.choice(vocab)]
    return _join(out, language)


def with_template(body: str, language: str, k: int) -> str:
    base = "ja" if language == "ja" else "zh" if language == "zh" else "en"
    return f"{_HEADERS[base][k % 3]}\n{body}\n{_FOOTERS[base][k % 3]}"


def planted_corpus(per_source: int = 300, seed: int = 1) -> tuple[list[dict], dict[str, dict]]:
    """Base documents plus one planted copy each; returns (documents, truth by copy id)."""
    rng = random.Random(seed)
    docs = base_documents(per_source)
    vocab: dict[str, list[str]] = {}
    for d in docs:
        units = vocab.setdefault(d["language"], [])
        if len(units) < 200_000:
            units += [u for u in _units(d["text"], d["language"]) if u != "\n"]
    copies, truth = [], {}
    for i, d in enumerate(docs):
        kind = KINDS[i % len(KINDS)]
        copy = dict(d, id=f"{d['id']}-copy")
        if kind == "template":
            k = rng.randrange(3)
            d["text"], copy["text"] = (
                with_template(d["text"], d["language"], k),
                with_template(d["text"], d["language"], k + 1),
            )
        else:
            copy["text"] = edit(d["text"], d["language"], float(kind.split("@")[1]), vocab[d["language"]], rng)
        copies.append(copy)
        truth[copy["id"]] = {"of": d["id"], "kind": kind, "source": d["source"]}
    same_language = {}
    for d in docs:
        same_language.setdefault(d["language"], []).append(d)
    mixes = []
    for d in docs[::4]:
        other = rng.choice(same_language[d["language"]])
        if other is d:
            continue
        a, b = d["text"], other["text"]
        mixes.append(dict(d, id=f"{d['id']}-mix", text=a[: len(a) // 2] + b[len(b) // 2 :]))
    return docs + copies + mixes, truth
