"""Clearly good articles pass every rule filter; Chinese spam is removed with the expected codes.

The English, German and Chinese articles below were written for these tests. A second Chinese
check uses real prose: the sentences of one of the project's Chinese notes (../shared/seeds),
taken the way an extractor keeps running text (list markers and bold marks removed).
"""

from __future__ import annotations

import re

import pytest

from pipeline.filters.c4 import C4QualityFilter
from pipeline.filters.fineweb import FineWebQualityFilter
from pipeline.filters.gopher import GopherQualityFilter, GopherRepetitionFilter
from pipeline.filters.url import UrlFilter
from pipeline.step import run_steps
from pipeline.transform.c4_lines import C4LineCleaner
from tests.conftest import shared_path

GOOD_EN = """The Quiet Work of Lighthouse Keepers

For more than two centuries, lighthouse keepers lived at the edge of the sea and kept a single flame burning through the night. Their work was repetitive, but it was never simple. Every evening the keeper trimmed the wick, polished the brass and cleaned the great lens so that the light would reach ships many miles away.

Most stations were built on rocky points or small islands where the weather could change within an hour. Supplies arrived by boat when the sea allowed it, and families learned to store food and fuel for weeks at a time. Children often grew up helping with the chores, and some of them later became keepers themselves.

The arrival of electricity changed the job more than any storm had done. Automatic lamps and remote monitoring meant that a station no longer needed a person on duty every night. By the end of the twentieth century, nearly all lighthouses in Europe and North America had been automated, and the last keepers left their towers.

Today many of these buildings are museums, and visitors can climb the narrow stairs to see the lens up close. Historians have collected the logbooks that keepers wrote each day, and those records are now a valuable source of information about weather, shipping and life on the coast. They remind us that safe travel at sea once depended on patient people with a lamp and a sense of duty.
"""

GOOD_DE = """Die Geschichte des Brotes in Deutschland

Kaum ein Land hat so viele Brotsorten wie Deutschland. In den Bäckereien findet man Roggenbrot, Dinkelbrot, Vollkornbrot und unzählige Brötchen, die jeden Morgen frisch aus dem Ofen kommen. Diese Vielfalt ist das Ergebnis einer langen Geschichte, in der regionale Traditionen eine große Rolle spielen.

Im Mittelalter war Brot für die meisten Menschen das wichtigste Nahrungsmittel. Die Bäcker waren in Zünften organisiert, die strenge Regeln für Gewicht, Qualität und Preis festlegten. Wer zu kleines oder schlechtes Brot verkaufte, musste mit hohen Strafen rechnen.

Im Norden wuchs vor allem Roggen, weil dieses Getreide mit kaltem Wetter und sandigen Böden gut zurechtkommt. Deshalb ist das Brot dort meist dunkel und kräftig im Geschmack. Im Süden wurde dagegen mehr Weizen und Dinkel angebaut, und die Brote sind dort oft heller und weicher.

Heute gehört die deutsche Brotkultur zum immateriellen Kulturerbe. Viele kleine Bäckereien haben es allerdings schwer, weil große Ketten und Supermärkte billiger produzieren können. Trotzdem legen viele Menschen Wert auf gutes Brot und kaufen es weiterhin beim Bäcker in ihrer Nachbarschaft.
"""

GOOD_ZH = """中国茶文化的历史

茶在中国已经有几千年的历史。相传神农氏在尝百草的时候发现了茶叶的解毒作用，从那以后，人们开始把茶当作药物来使用。到了唐代，喝茶逐渐成为一种普遍的生活习惯，陆羽还写下了世界上第一部关于茶的专著《茶经》。

宋代的人们非常讲究饮茶的方式，他们把茶叶磨成细粉，再用热水冲调，这种方法叫做点茶。文人们经常聚在一起斗茶，比较谁的茶汤颜色更白、泡沫更持久。明代以后，散茶逐渐取代了团茶，今天我们熟悉的泡茶方法就是从那个时候开始流行的。

中国的茶叶种类很多，按照加工方法可以分为绿茶、红茶、乌龙茶、白茶、黄茶和黑茶。不同地区的人有不同的喜好，比如江南一带的人喜欢喝清淡的绿茶，而福建和广东的人更喜欢乌龙茶。

如今，茶不仅是一种饮料，也是人们交流感情的方式。朋友来访的时候，主人会泡上一壶好茶；家人团聚的时候，大家也会一边喝茶一边聊天。茶文化已经成为中国传统文化中不可缺少的一部分。
"""

# Gambling spam as it is scraped: keyword lists, no sentences, no function words.
SPAM_ZH_KEYWORDS = "\n".join(
    [
        "澳门赌场 网上赌博 真人娱乐 百家乐 时时彩 六合彩 彩票平台 注册送彩金",
        "博彩网站 在线投注 老虎机 体育博彩 电子游戏 捕鱼游戏 棋牌游戏 真人视讯",
        "澳门葡京 威尼斯人 太阳城 银河娱乐 金沙娱乐 新葡京 永利皇宫 美高梅",
        "首存优惠 返水无上限 提款秒到账 二十四小时客服 官方网站 手机下注 免费试玩",
        "北京赛车 幸运飞艇 快乐十分 重庆时时彩 极速赛车 福利彩票 体育彩票 足球投注",
    ]
)
# The same line again and again, the other common spam shape.
SPAM_ZH_REPEATED = "\n".join(
    ["点击这里领取免费红包，注册就送一百元现金，名额有限，先到先得！"] * 12 + GOOD_ZH.splitlines()[2:3]
)


def all_rule_steps():
    return [
        UrlFilter(),
        GopherQualityFilter(),
        GopherRepetitionFilter(),
        FineWebQualityFilter(),
        C4LineCleaner(),
        C4QualityFilter(),
    ]


def run_all(text: str, language: str | None, url: str = "https://example.org/article") -> dict:
    doc = {"id": "d", "text": text, "language": language, "url": url, "status": "kept"}
    return run_steps(all_rule_steps(), [doc])[0]


@pytest.mark.parametrize(
    ("text", "language"),
    [(GOOD_EN, "en"), (GOOD_DE, "de"), (GOOD_ZH, "zh"), (GOOD_EN, None), (GOOD_ZH, None), (GOOD_ZH, "unknown")],
)
def test_good_articles_pass_every_filter(text, language):
    out = run_all(text, language)
    assert out["status"] == "kept", (out["removed_by"], out["removed_reason"], out["removed_detail"])
    # C4 drops only the heading (no terminal punctuation); the four paragraphs stay
    assert out["text"].split("\n") == [p for p in text.strip().split("\n\n")[1:]]


def _seed_prose(path) -> str:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\s*(?:[-*>]|\d+\.)\s*", "", raw).replace("**", "").strip()
        if len(line) >= 20 and line.endswith("。"):
            lines.append(line)
    return "\n\n".join(lines)


def test_real_chinese_prose_from_seeds_passes_every_filter():
    seeds = shared_path("..", "seeds")
    text = _seed_prose(next(iter(sorted(seeds.glob("000_*.txt")))))
    assert len(text) > 800
    for language in ("zh", None):
        out = run_all(text, language)
        assert out["status"] == "kept", (out["removed_by"], out["removed_reason"], out["removed_detail"])


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        (GopherQualityFilter(), "gopher_stop_words"),
        (FineWebQualityFilter(), "fineweb_punct_lines"),
        (C4QualityFilter(), "c4_no_lines_left"),
    ],
)
def test_chinese_keyword_spam_is_removed(step, reason):
    doc = {"text": SPAM_ZH_KEYWORDS, "language": "zh", "status": "kept"}
    if isinstance(step, C4QualityFilter):
        doc = C4LineCleaner().process(doc)
    assert step.check(doc)[0] == reason


@pytest.mark.parametrize(
    ("step", "reason", "detail"),
    [
        (GopherRepetitionFilter(), "gopher_dup_line_frac", "dup_line_frac=0.846 > 0.3"),
        (FineWebQualityFilter(), "fineweb_dup_line_chars", "dup_line_chars=0.722 > 0.01"),
    ],
)
def test_chinese_repeated_line_spam_is_removed(step, reason, detail):
    assert step.check({"text": SPAM_ZH_REPEATED, "language": "zh"}) == (reason, detail)


def test_chinese_spam_is_removed_without_a_language_label():
    assert run_all(SPAM_ZH_KEYWORDS, None)["removed_reason"] == "gopher_stop_words"
    assert run_all(SPAM_ZH_REPEATED, None)["removed_reason"] == "gopher_dup_line_frac"


def test_japanese_novel_passes_gopher_with_mecab_words():
    path = shared_path("corpora", "sentencepiece", "wagahaiwa_nekodearu.txt")
    body = path.read_text(encoding="utf-8")
    # drop the Aozora Bunko header and the ruby / editor annotations
    body = re.sub(r"《[^》]*》|［＃[^］]*］|｜", "", body.split("-------\n")[-1])[20000:26000]
    for language in ("ja", None):
        doc = {"text": body, "language": language}
        assert GopherQualityFilter().check(doc) is None
        assert GopherRepetitionFilter().check(doc) is None
