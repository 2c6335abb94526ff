"""Translations of the demo's adopted Tokyo 2009 statement (its authoritative text is English):
a complete Japanese one, and a Korean one in progress — some paragraphs not translated yet (read
in English, marked) and one translated from the draft's wording, which changed in the adopted
version (marked out of date). Found again by (version, language): running it twice changes
nothing."""

from django.db import transaction

from forum.models import Edition
from statements.models import (
    ParagraphText,
    ParagraphTranslation,
    Statement,
    StatementTranslation,
)
from statements.translations.selectors import source_hash

JAPANESE = {
    "title": "東京行動宣言",
    "headings": {
        "Who we are": "私たちは何者か",
        "What we have seen": "私たちが見てきたこと",
        "Our commitments": "私たちの約束",
        "Working together": "ともに取り組む",
    },
    "paragraphs": {
        1: "インドネシア、タイ、マレーシア、ネパール、インド、フィリピン、日本、韓国、フランス、"
        "カナダ、ルクセンブルク、オーストラリアから集まった社会的連帯経済の実践者約500人である"
        "私たちは、2007年にマニラで開かれた第1回フォーラムに続き、第2回アジア連帯経済フォーラム"
        "のため、2009年11月7日から10日まで東京に集いました。",
        2: "私たちは、生活協同組合と労働者協同組合、共済組織、労働組合、非営利組織、社会的企業、"
        "フェアトレード団体、女性の自助グループ、市民金融機関です。私たちは、経済活動、社会的使命、"
        "そして民主的な運営を共有しています。",
        3: "2008年の金融危機は、投機に動かされる経済が、アジアでも他の地域と同じように、貧しい"
        "人々、高齢者、障害のある人々、失業者を無防備なまま置き去りにすることを示しました。",
        4: "現地視察では、市場も国家も満たさないニーズに応える労働者協同組合、NPOバンク、地域の"
        "高齢者ケアを目にしました。",
        6: "私たちは、貯蓄を社会的責任投資と社会的金融に振り向け、組合員に対して責任を負うNPO"
        "バンク、信用組合、労働金庫、マイクロファイナンスを築くことを約束します。",
        7: "私たちは、アジア全域の生産者と消費者の間で公正な取引を行い、それぞれの国で"
        "フェアトレードを広め、まず互いから購入することを約束します。",
        8: "私たちは、組合員と市民が私たちの成果を判断できるよう、社会的な成果を測定し、報告する"
        "ことを約束します。",
        9: "私たちは、地域の高齢者、障害のある人々、失業者を支え、とりわけ女性に配慮しながら、"
        "ディーセント・ワークを生み出すことを約束します。",
        10: "私たちは、天然資源を責任をもって管理し、富を地域にとどめる地域主導・草の根の発展に"
        "取り組むことを約束します。",
        11: "私たちは各国政府に対し、公共政策と法制度において連帯経済を認め、その策定に連帯経済の"
        "組織を参加させ、金融取引に対する連帯税の導入を検討するよう求めます。",
        12: "私たちは、フォーラムとフォーラムの間にも、参加者の言語で知識と実践を分かち合う、"
        "連帯経済実践者のアジア・ネットワークを築きます。",
        13: "第3回アジア連帯経済フォーラムは2011年にマレーシアで開催されます。招待してくださった"
        "マレーシアの友人たちに感謝します。",
    },
}

KOREAN = {
    "title": "도쿄 행동 선언",
    "headings": {
        "Who we are": "우리는 누구인가",
        "What we have seen": "우리가 본 것",
        "Our commitments": "우리의 약속",
        "Working together": "함께 일하기",
    },
    "paragraphs": {
        1: "인도네시아, 태국, 말레이시아, 네팔, 인도, 필리핀, 일본, 한국, 프랑스, 캐나다, "
        "룩셈부르크, 호주에서 온 약 500명의 사회연대경제 실천가인 우리는 2007년 마닐라에서 열린 "
        "제1회 포럼에 이어, 제2회 아시아연대경제포럼을 위해 2009년 11월 7일부터 10일까지 도쿄에 "
        "모였습니다.",
        4: "현장 방문에서 우리는 시장과 국가가 채우지 못하는 필요를 채우는 노동자협동조합, NPO "
        "은행, 지역사회 노인 돌봄을 보았습니다.",
        8: "우리는 조합원과 시민이 우리의 성과를 판단할 수 있도록 사회적 성과를 측정하고 보고할 "
        "것을 약속합니다.",
        12: "우리는 포럼과 포럼 사이에도 회원들의 언어로 지식과 실천을 나누는 아시아 "
        "사회연대경제 실천가 네트워크를 만들 것입니다.",
    },
    # Translated from the draft (version 1), whose paragraph 13 did not yet name Malaysia.
    "from_draft": {13: "제3회 아시아연대경제포럼은 2011년에 개최됩니다."},
}

# Paragraph 13 as the draft read, as the Korean translator had it.
DRAFT_13 = "The third Asian Forum for Solidarity Economy will be held in 2011."


@transaction.atomic
def build_demo_statement_translations(edition: Edition) -> bool:
    """Add the Japanese and Korean translations of the adopted version; True if added."""
    statement = Statement.objects.filter(edition=edition).first()
    if statement is None:
        return False
    versions = {v.number: v for v in statement.versions.all()}
    adopted, draft = versions.get(2), versions.get(1)
    if adopted is None or draft is None:
        return False
    if StatementTranslation.objects.filter(version=adopted).exists():
        return False
    texts = {
        t.paragraph.key: t
        for t in ParagraphText.objects.filter(version=adopted).select_related("paragraph")
    }
    rows = []
    for language, content in (("ja", JAPANESE), ("ko", KOREAN)):
        translation = StatementTranslation.objects.create(
            version=adopted,
            language=language,
            title=content["title"],
            headings=content["headings"],
            updated_by=statement.created_by,
        )
        for key, text in content["paragraphs"].items():
            rows.append(
                ParagraphTranslation(
                    translation=translation,
                    paragraph=texts[key].paragraph,
                    text=text,
                    source_hash=source_hash(texts[key].text),
                    source_version=adopted,
                )
            )
        for key, text in content.get("from_draft", {}).items():
            rows.append(
                ParagraphTranslation(
                    translation=translation,
                    paragraph=texts[key].paragraph,
                    text=text,
                    source_hash=source_hash(DRAFT_13),
                    source_version=draft,
                )
            )
    ParagraphTranslation.objects.bulk_create(rows)
    return True
