"""Translations of the demo's organizer-written content (django-modeltranslation's columns):
the 2009 programme, ticket types, questions and payment instructions in Japanese, a few items
in Korean and Indonesian, and some left in English to show the fallback (the side event, the
session added in v2, the rooms' access notes in Korean…).

Applied by the source text, so applying twice changes nothing."""

# ruff: noqa: E501, RUF001 - Japanese sentences and their full-width punctuation

from modeltranslation.utils import build_localized_fieldname

from forum.models import Edition
from registration.models import Question, RegistrationSettings, TicketType
from sessions_app.models import Room, Session, Track

ROOMS = {
    "Main Hall": {
        "ja": {
            "name": "メインホール",
            "accessibility_notes": "段差のない入口、ヒアリングループあり。",
        },
        "ko": {"name": "메인 홀"},
        "id": {"name": "Aula Utama"},
    },
    "Room A": {
        "ja": {
            "name": "A会議室",
            "accessibility_notes": "メインロビーからエレベーターをご利用ください。",
        },
        "ko": {"name": "A회의실"},
    },
    "Room B": {
        "ja": {
            "name": "B会議室",
            "accessibility_notes": "メインロビーからエレベーターをご利用ください。",
        },
        "ko": {"name": "B회의실"},
    },
    "Room C": {"ja": {"name": "C会議室"}},
    "Off-site": {
        "ja": {"name": "会場外", "accessibility_notes": "正面入口に集合、送迎あり。"},
        "ko": {"name": "외부 장소"},
    },
}

TRACKS = {
    "Social finance": {"ja": {"name": "社会的金融"}, "ko": {"name": "사회적 금융"}},
    "Fair trade": {"ja": {"name": "フェアトレード"}, "ko": {"name": "공정무역"}},
    "Social enterprise": {
        "ja": {"name": "社会的企業"},
        "ko": {"name": "사회적기업"},
        "id": {"name": "Perusahaan sosial"},
    },
    "Welfare and care": {"ja": {"name": "福祉とケア"}},
    "Policy and legislation": {"ja": {"name": "政策と法制度"}, "ko": {"name": "정책과 법제도"}},
}

# The side event and "Ethics in cooperative finance" (new in v2) stay in English.
SESSIONS = {
    "Solidarity Economy from the Asian Perspective": {
        "ja": {
            "title": "アジアの視点から見た連帯経済",
            "abstract": "<p>アジア各地の実践者が、連帯経済の経験を持ち寄り語り合う基調セッション。</p>",
        },
        "ko": {
            "title": "아시아의 관점에서 본 연대경제",
            "abstract": "<p>아시아 각지의 실천가들이 연대경제의 경험을 나누는 기조 세션.</p>",
        },
        "id": {"title": "Ekonomi Solidaritas dari Perspektif Asia"},
    },
    "Coffee break": {
        "ja": {"title": "コーヒーブレイク"},
        "ko": {"title": "커피 브레이크"},
        "id": {"title": "Rehat kopi"},
    },
    "Socially responsible investment in Asia": {
        "ja": {
            "title": "アジアにおける社会的責任投資",
            "abstract": "<p>アジアにおける社会的責任投資の現状と課題を、実践者が比較します。</p>",
        },
        "ko": {"title": "아시아의 사회책임투자"},
    },
    "Fair trade from producer to consumer": {
        "ja": {"title": "生産者から消費者へのフェアトレード"},
        "ko": {"title": "생산자에서 소비자까지의 공정무역"},
    },
    "Micro-finance and NPO banks": {
        "ja": {
            "title": "マイクロファイナンスとNPOバンク",
            "abstract": "<p>マイクロファイナンスとNPOバンクの経験を、アジア各地の実践者が比較します。</p>",
        },
    },
    "A solidarity tax levy": {"ja": {"title": "連帯税"}},
    "Fact-finding visit: workers' cooperatives in Tama": {
        "ja": {
            "title": "視察：多摩のワーカーズコープ",
            "abstract": "<p>多摩地域のワーカーズコープを訪ね、働く人が出資し経営する現場を見学します。</p>",
            "meeting_point": "正面入口、8時45分",
            "transport_notes": "貸切バス、昼食付き。",
        },
        "ko": {"title": "현장 방문: 다마의 노동자협동조합", "meeting_point": "정문, 8시 45분"},
        "id": {"title": "Kunjungan lapangan: koperasi pekerja di Tama"},
    },
    "Social welfare for the elderly and the unemployed": {
        "ja": {"title": "高齢者と失業者のための社会福祉"},
    },
    "Social performance management": {"ja": {"title": "社会的成果のマネジメント"}},
    "Public policy and legislation for the SSE": {
        "ja": {"title": "社会的連帯経済のための公共政策と法制度"},
        "ko": {"title": "사회연대경제를 위한 공공정책과 법제도"},
    },
    "Local and grassroots development": {"ja": {"title": "地域と草の根の発展"}},
    "Presentation of the draft statement of commitment": {
        "ja": {"title": "行動宣言草案の発表"},
        "ko": {"title": "실천 선언 초안 발표"},
        "id": {"title": "Penyajian rancangan pernyataan komitmen"},
    },
    "Adoption of the statement and closing": {
        "ja": {"title": "宣言の採択と閉会"},
        "ko": {"title": "선언 채택과 폐회"},
    },
}

TICKET_TYPES = {
    "Delegate": {
        "ja": {"name": "代表参加者"},
        "ko": {"name": "대표 참가자"},
        "id": {"name": "Delegasi"},
    },
    "Observer": {"ja": {"name": "オブザーバー"}, "ko": {"name": "참관인"}},
    "Speaker": {"ja": {"name": "登壇者"}, "ko": {"name": "연사"}},
    "Volunteer": {"ja": {"name": "ボランティア"}},
    "Press": {"ja": {"name": "報道関係者"}},
}

QUESTIONS = {
    "Which fact-finding visit interests you most?": {
        "ja": {
            "label": "最も関心のある視察はどれですか？",
            "choices": "多摩のワーカーズコープ\n生協の農場\nNPOバンク",
        },
        "ko": {
            "label": "가장 관심 있는 현장 방문은 무엇입니까?",
            "choices": "다마의 노동자협동조합\n소비자협동조합의 농장\nNPO 은행",
        },
    },
    "Will you join the welcome dinner on 7 November?": {
        "ja": {"label": "11月7日の歓迎夕食会に参加しますか？"},
        "id": {"label": "Apakah Anda akan menghadiri jamuan makan malam pada 7 November?"},
    },
    # "What do you hope to bring back to your organization?" stays in English.
}

PAYMENT_INSTRUCTIONS = {
    "ja": "AFSE 2009の口座へ、参照番号を添えて銀行振込でお支払いいただくか、受付で現金でお支払いください。",
}
PAYMENT_DETAILS_JA = {
    "bank_account_holder": "AFSE 2009 準備委員会",
    "bank_account": "普通預金 1234567、支店番号 001",
    "bank_name": "みずほ銀行 池袋支店（東京都）",
    "on_site_payment": "11月7日 8:30〜10:00、受付にて日本円の現金でお支払いいただけます。",
}


def _apply(obj, translations: dict) -> bool:
    changed = False
    for language, values in translations.items():
        for field, value in values.items():
            name = build_localized_fieldname(field, language)
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
    return changed


def _translate(queryset, key_field: str, table: dict) -> None:
    for obj in queryset:
        translations = table.get(getattr(obj, build_localized_fieldname(key_field, "en")))
        if translations and _apply(obj, translations):
            obj.save()


def translate_demo_programme(edition: Edition) -> None:
    """The programme's rooms, tracks and sessions in Japanese, and some in Korean and
    Indonesian (before a release is published, so that its snapshot carries them)."""
    _translate(Room.objects.filter(edition=edition), "name", ROOMS)
    _translate(Track.objects.filter(edition=edition), "name", TRACKS)
    _translate(Session.objects.filter(edition=edition), "title", SESSIONS)


def translate_demo_registration(edition: Edition) -> None:
    """Ticket types, questions and payment instructions in Japanese, some in Korean and
    Indonesian."""
    _translate(TicketType.objects.filter(edition=edition), "name", TICKET_TYPES)
    _translate(Question.objects.filter(edition=edition), "label", QUESTIONS)
    for row in RegistrationSettings.objects.filter(edition=edition):
        if _apply(
            row,
            {
                code: {"payment_instructions": text, **(PAYMENT_DETAILS_JA if code == "ja" else {})}
                for code, text in PAYMENT_INSTRUCTIONS.items()
            },
        ):
            row.save()
