"""Language names as each instruction language writes them, and translation instructions.

Placeholders: {T} the text to translate, {L} the target language (form chosen per template),
{S} the source language. Every phrase here was written for this generator.
"""

# English names of target languages (a long list: users ask for many).
EN = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "ar": "Arabic", "hi": "Hindi", "tr": "Turkish", "pl": "Polish",
    "sv": "Swedish", "uk": "Ukrainian", "vi": "Vietnamese", "id": "Indonesian", "cs": "Czech",
    "el": "Greek", "he": "Hebrew", "fa": "Persian", "th": "Thai", "ro": "Romanian",
    "hu": "Hungarian", "fi": "Finnish", "da": "Danish", "no": "Norwegian", "bn": "Bengali",
    "sw": "Swahili", "ms": "Malay", "ta": "Tamil", "ur": "Urdu", "ca": "Catalan",
    "hr": "Croatian", "bg": "Bulgarian", "sk": "Slovak", "sr": "Serbian", "lt": "Lithuanian",
    "lv": "Latvian", "et": "Estonian", "tl": "Filipino", "am": "Amharic", "ha": "Hausa",
    "yo": "Yoruba", "zu": "Zulu", "is": "Icelandic", "ga": "Irish", "cy": "Welsh",
    "mt": "Maltese", "ka": "Georgian", "hy": "Armenian", "kk": "Kazakh", "uz": "Uzbek",
    "ne": "Nepali", "mr": "Marathi", "te": "Telugu", "pa": "Punjabi", "gu": "Gujarati",
    "km": "Khmer", "lo": "Lao", "my": "Burmese", "si": "Sinhala", "so": "Somali",
    "af": "Afrikaans", "sl": "Slovenian", "mk": "Macedonian", "sq": "Albanian", "eu": "Basque",
    "gl": "Galician", "az": "Azerbaijani", "mn": "Mongolian", "ps": "Pashto", "ku": "Kurdish",
    "zh-tw": "Traditional Chinese", "pt-br": "Brazilian Portuguese", "es-mx": "Mexican Spanish",
    "fr-ca": "Canadian French",
}

# Per instruction language: forms of target-language names.
# "into": the phrase after a translate verb; "adv": "in <language>" as an adverb.
FORMS = {
    "de": {
        "into": {"en": "ins Englische", "fr": "ins Französische", "es": "ins Spanische",
                 "it": "ins Italienische", "de": "ins Deutsche", "pt": "ins Portugiesische",
                 "nl": "ins Niederländische", "ru": "ins Russische", "zh": "ins Chinesische",
                 "ja": "ins Japanische", "pl": "ins Polnische", "tr": "ins Türkische",
                 "ar": "ins Arabische", "sv": "ins Schwedische", "cs": "ins Tschechische",
                 "el": "ins Griechische", "uk": "ins Ukrainische"},
        "adv": {"en": "auf Englisch", "fr": "auf Französisch", "es": "auf Spanisch",
                "it": "auf Italienisch", "de": "auf Deutsch", "pt": "auf Portugiesisch",
                "nl": "auf Niederländisch", "ru": "auf Russisch", "zh": "auf Chinesisch",
                "ja": "auf Japanisch", "pl": "auf Polnisch", "tr": "auf Türkisch",
                "ko": "auf Koreanisch", "sv": "auf Schwedisch", "el": "auf Griechisch"},
    },
    "fr": {
        "into": {"en": "en anglais", "de": "en allemand", "es": "en espagnol", "it": "en italien",
                 "pt": "en portugais", "nl": "en néerlandais", "ru": "en russe", "zh": "en chinois",
                 "ja": "en japonais", "ar": "en arabe", "fr": "en français", "pl": "en polonais",
                 "tr": "en turc", "ko": "en coréen", "el": "en grec", "sv": "en suédois",
                 "vi": "en vietnamien", "ro": "en roumain"},
    },
    "es": {
        "into": {"en": "al inglés", "de": "al alemán", "fr": "al francés", "it": "al italiano",
                 "pt": "al portugués", "ru": "al ruso", "zh": "al chino", "ja": "al japonés",
                 "es": "al español", "ar": "al árabe", "nl": "al neerlandés", "ko": "al coreano",
                 "ca": "al catalán", "tr": "al turco", "pl": "al polaco"},
        "adv": {"en": "en inglés", "de": "en alemán", "fr": "en francés", "it": "en italiano",
                "pt": "en portugués", "ru": "en ruso", "zh": "en chino", "ja": "en japonés",
                "es": "en español", "ca": "en catalán", "ko": "en coreano"},
    },
    "it": {
        "into": {"en": "in inglese", "de": "in tedesco", "fr": "in francese", "es": "in spagnolo",
                 "pt": "in portoghese", "ru": "in russo", "zh": "in cinese", "ja": "in giapponese",
                 "it": "in italiano", "nl": "in olandese", "ar": "in arabo", "pl": "in polacco"},
    },
    "pt": {
        "into": {"en": "para o inglês", "de": "para o alemão", "fr": "para o francês",
                 "es": "para o espanhol", "it": "para o italiano", "ru": "para o russo",
                 "zh": "para o chinês", "ja": "para o japonês", "pt": "para o português",
                 "ar": "para o árabe", "nl": "para o holandês", "ko": "para o coreano"},
        "adv": {"en": "em inglês", "de": "em alemão", "fr": "em francês", "es": "em espanhol",
                "it": "em italiano", "ja": "em japonês", "zh": "em chinês", "pt": "em português"},
    },
    "nl": {
        "into": {"en": "naar het Engels", "de": "naar het Duits", "fr": "naar het Frans",
                 "es": "naar het Spaans", "it": "naar het Italiaans", "pt": "naar het Portugees",
                 "nl": "naar het Nederlands", "ru": "naar het Russisch", "pl": "naar het Pools",
                 "tr": "naar het Turks", "ar": "naar het Arabisch"},
        "adv": {"en": "in het Engels", "de": "in het Duits", "fr": "in het Frans",
                "es": "in het Spaans", "nl": "in het Nederlands"},
    },
    "ru": {
        "into": {"en": "на английский", "de": "на немецкий", "fr": "на французский",
                 "es": "на испанский", "it": "на итальянский", "zh": "на китайский",
                 "ja": "на японский", "ru": "на русский", "uk": "на украинский",
                 "pl": "на польский", "tr": "на турецкий", "ar": "на арабский",
                 "ko": "на корейский", "pt": "на португальский", "kk": "на казахский"},
        "adv": {"en": "по-английски", "de": "по-немецки", "fr": "по-французски",
                "es": "по-испански", "it": "по-итальянски", "zh": "по-китайски",
                "ja": "по-японски", "ru": "по-русски"},
    },
    "uk": {
        "into": {"en": "англійською", "de": "німецькою", "fr": "французькою", "pl": "польською",
                 "es": "іспанською", "uk": "українською", "it": "італійською"},
    },
    "zh": {
        "into": {"en": "英文", "de": "德文", "fr": "法文", "es": "西班牙文", "ja": "日文",
                 "ko": "韩文", "ru": "俄文", "it": "意大利文", "pt": "葡萄牙文", "ar": "阿拉伯文",
                 "zh": "中文", "vi": "越南文", "th": "泰文", "id": "印尼文"},
        "yu": {"en": "英语", "de": "德语", "fr": "法语", "es": "西班牙语", "ja": "日语", "ko": "韩语",
               "ru": "俄语", "it": "意大利语", "pt": "葡萄牙语", "ar": "阿拉伯语", "zh": "汉语"},
    },
    "ja": {
        "into": {"en": "英語", "de": "ドイツ語", "fr": "フランス語", "es": "スペイン語",
                 "zh": "中国語", "ko": "韓国語", "ru": "ロシア語", "it": "イタリア語",
                 "pt": "ポルトガル語", "ja": "日本語", "vi": "ベトナム語", "th": "タイ語"},
    },
    "ko": {
        "into": {"en": "영어", "de": "독일어", "fr": "프랑스어", "es": "스페인어", "zh": "중국어",
                 "ja": "일본어", "ru": "러시아어", "ko": "한국어", "vi": "베트남어", "it": "이탈리아어"},
    },
    "ar": {
        "into": {"en": "الإنجليزية", "fr": "الفرنسية", "de": "الألمانية", "es": "الإسبانية",
                 "zh": "الصينية", "ru": "الروسية", "tr": "التركية", "ar": "العربية",
                 "it": "الإيطالية", "ja": "اليابانية"},
    },
    "hi": {
        "into": {"en": "अंग्रेज़ी", "fr": "फ़्रेंच", "de": "जर्मन", "es": "स्पेनिश", "hi": "हिंदी",
                 "ja": "जापानी", "zh": "चीनी", "ru": "रूसी", "ar": "अरबी", "bn": "बंगाली",
                 "ta": "तमिल", "ur": "उर्दू"},
    },
    "tr": {
        "into": {"en": "İngilizceye", "de": "Almancaya", "fr": "Fransızcaya", "es": "İspanyolcaya",
                 "ru": "Rusçaya", "ar": "Arapçaya", "tr": "Türkçeye", "it": "İtalyancaya",
                 "ja": "Japoncaya", "zh": "Çinceye"},
    },
    "pl": {
        "into": {"en": "na angielski", "de": "na niemiecki", "fr": "na francuski",
                 "es": "na hiszpański", "it": "na włoski", "ru": "na rosyjski", "uk": "na ukraiński",
                 "pl": "na polski", "cs": "na czeski", "ja": "na japoński", "zh": "na chiński"},
    },
    "sv": {
        "into": {"en": "till engelska", "de": "till tyska", "fr": "till franska",
                 "es": "till spanska", "sv": "till svenska", "fi": "till finska", "no": "till norska"},
    },
    "vi": {
        "into": {"en": "sang tiếng Anh", "fr": "sang tiếng Pháp", "zh": "sang tiếng Trung",
                 "ja": "sang tiếng Nhật", "ko": "sang tiếng Hàn", "vi": "sang tiếng Việt"},
    },
    "id": {
        "into": {"en": "ke bahasa Inggris", "ja": "ke bahasa Jepang", "zh": "ke bahasa Mandarin",
                 "ar": "ke bahasa Arab", "id": "ke bahasa Indonesia", "nl": "ke bahasa Belanda"},
    },
    "cs": {
        "into": {"en": "do angličtiny", "de": "do němčiny", "fr": "do francouzštiny",
                 "cs": "do češtiny", "pl": "do polštiny", "sk": "do slovenštiny", "ru": "do ruštiny"},
    },
}

# Translation instructions per instruction language: (template, form).
# For "en", {L} and {S} are English names.
TRANSLATE = {
    "en": [
        ("Translate into {L}:\n{T}", None),
        ("Translate the following text to {L}.\n\n{T}", None),
        ("Please translate this into {L}: {T}", None),
        ("{T}\n\nTranslate the above into {L}.", None),
        ("Can you translate this paragraph into {L} for me?\n\"{T}\"", None),
        ("How would you say this in {L}? {T}", None),
        ("Render the following in {L}, keeping the tone:\n{T}", None),
        ("I need a {L} version of this: {T}", None),
        ("{L} translation please:\n{T}", None),
        ("What is this in {L}?\n\n{T}", None),
        ("Give me a natural-sounding {L} translation of the text below.\n\n{T}", None),
        ("Translate from {S} to {L}:\n{T}", None),
        ("Convert this {S} text into {L}: {T}", None),
        ("Put this into {L}, please.\n{T}", None),
        ("Turn this into idiomatic {L}:\n\n{T}", None),
        ("Rewrite this passage in {L}:\n{T}", None),
        ("{T}\n\n-> {L}", None),
        ("Translate to {L}. Output only the translation.\n\n{T}", None),
        ("Provide the {L} equivalent of the following: {T}", None),
        ("Say this in {L}: {T}", None),
        ("Translate this sentence into {L} and keep the names unchanged: {T}", None),
        ("{S} to {L}:\n{T}", None),
        ("From {S} into {L}, please. {T}", None),
        ("Could you help me translate this into {L}? It's for a colleague.\n\n{T}", None),
        ("What's the {L} for this? \"{T}\"", None),
        ("Translate, {S} -> {L}:\n\n{T}", None),
        ("I'm sending this to a friend who only reads {L}. Can you translate it?\n\n{T}", None),
        ("Please provide a faithful {L} translation (not a summary):\n{T}", None),
        ("{T}\n\nCan you put that in {L}?", None),
        ("Translate the text below from {S} into {L}, preserving the formatting.\n---\n{T}\n---", None),
        ("Need this translated to {L} asap:\n{T}", None),
        ("How do I say the following in {L}?\n{T}", None),
        ("Translate into {L} for a newspaper audience:\n\n{T}", None),
        ("Help me translate this message into {L}:\n\n{T}", None),
        ("{T}\n\n(translate to {L})", None),
        ("Translate:\n{T}\nTarget language: {L}", None),
        ("Source ({S}):\n{T}\n\nPlease give the {L} translation.", None),
        ("Can I get this in {L}? {T}", None),
        ("Localize this text for {L}-speaking readers: {T}", None),
        ("Translate this into plain, formal {L}.\n\n{T}", None),
        ("{T}\n\n(into {L}, please)", None),
        ("{L}, please:\n{T}", None),
        ("{T}\nIn {L}?", None),
        ("Could you put the following news item into {L}?\n\n{T}", None),
        ("Translate this paragraph for our {L} edition:\n{T}", None),
        ("My {L} colleague needs to read this. Translation, please.\n\n{T}", None),
        ("Write this in {L}: {T}", None),
        ("Give the {L} translation only, no explanations.\n{T}", None),
    ],
    "de": [
        ("Übersetze bitte {into}:\n{T}", "into"),
        ("Übersetze den folgenden Text {into}.\n\n{T}", "into"),
        ("Kannst du das {into} übersetzen? {T}", "into"),
        ("Wie sagt man das {adv}? {T}", "adv"),
        ("{T}\n\nBitte {into} übersetzen.", "into"),
        ("Ich brauche diesen Absatz {adv}:\n{T}", "adv"),
        ("Übersetzung {into}, bitte:\n\n{T}", "into"),
        ("Bitte gib mir eine Übersetzung {into}: {T}", "into"),
        ("Könnten Sie diesen Text {into} übertragen?\n{T}", "into"),
    ],
    "fr": [
        ("Traduis en {L} :\n{T}", "bare"),
        ("Traduisez le texte suivant {into}.\n\n{T}", "into"),
        ("Peux-tu traduire ceci {into} ? {T}", "into"),
        ("Comment dit-on cela {into} ? {T}", "into"),
        ("{T}\n\nMerci de traduire ce passage {into}.", "into"),
        ("J'ai besoin d'une traduction {into} de ce paragraphe :\n{T}", "into"),
        ("Pourriez-vous traduire ce message {into} ?\n\n{T}", "into"),
        ("Traduction {into}, s'il vous plaît : {T}", "into"),
    ],
    "es": [
        ("Traduce {into}:\n{T}", "into"),
        ("¿Cómo lo dirías {adv}? {T}", "adv"),
        ("Por favor, traduce el siguiente texto {into}.\n\n{T}", "into"),
        ("¿Puedes traducir este párrafo {into}?\n{T}", "into"),
        ("{T}\n\nTradúcelo {into}, por favor.", "into"),
        ("Necesito esto {adv}: {T}", "adv"),
        ("Tradúceme esto {into}, que es para un cliente:\n\n{T}", "into"),
        ("¿Me ayudas a pasar este texto {into}? {T}", "into"),
    ],
    "it": [
        ("Traduci {into}:\n{T}", "into"),
        ("Come lo diresti {into}? {T}", "into"),
        ("Per favore, traduci il seguente testo {into}.\n\n{T}", "into"),
        ("Puoi tradurre questo paragrafo {into}? {T}", "into"),
        ("{T}\n\nMi serve la traduzione {into}.", "into"),
        ("Mi aiuti a tradurre questo messaggio {into}?\n{T}", "into"),
    ],
    "pt": [
        ("Traduza {into}:\n{T}", "into"),
        ("Como se diz isso {adv}? {T}", "adv"),
        ("Por favor, traduza o texto a seguir {into}.\n\n{T}", "into"),
        ("Você pode traduzir este parágrafo {into}? {T}", "into"),
        ("{T}\n\nPreciso disso {adv}.", "adv"),
        ("Traduz isto {into}, se faz favor:\n{T}", "into"),
    ],
    "nl": [
        ("Vertaal {into}:\n{T}", "into"),
        ("Hoe zeg je dit {adv}? {T}", "adv"),
        ("Kun je de volgende tekst {into} vertalen?\n\n{T}", "into"),
        ("{T}\n\nGraag vertalen {into}.", "into"),
        ("Vertaal deze alinea {into}, alsjeblieft: {T}", "into"),
    ],
    "ru": [
        ("Переведи {into}:\n{T}", "into"),
        ("Переведите, пожалуйста, следующий текст {into}.\n\n{T}", "into"),
        ("Как это сказать {adv}? {T}", "adv"),
        ("{T}\n\nПереведи это {into}.", "into"),
        ("Нужен перевод {into}: {T}", "into"),
        ("Помоги перевести этот абзац {into}:\n{T}", "into"),
        ("Можешь перевести {into}? {T}", "into"),
    ],
    "uk": [
        ("Перекладіть {into}:\n{T}", "into"),
        ("Будь ласка, перекладіть цей текст {into}.\n\n{T}", "into"),
        ("Як це сказати {into}? {T}", "into"),
    ],
    "zh": [
        ("请将下面的段落译为{into}：\n{T}", "into"),
        ("翻译成{into}：{T}", "into"),
        ("帮我把这段文字译成{into}。\n\n{T}", "into"),
        ("{T}\n\n请翻译成{into}。", "into"),
        ("这句话用{into}怎么说？{T}", "into"),
        ("请将以下内容翻译为{into}，保持原意：\n{T}", "into"),
        ("能把这个翻成{into}吗？{T}", "into"),
        ("把下面的句子翻译成{yu}。\n{T}", "yu"),
        ("{T}\n用{yu}怎么说？", "yu"),
    ],
    "ja": [
        ("次の文を{into}に訳してください。\n{T}", "into"),
        ("{into}に翻訳してください：{T}", "into"),
        ("これを{into}で何と言いますか？{T}", "into"),
        ("{T}\n\n上の文章を{into}に翻訳してください。", "into"),
        ("以下の段落を自然な{into}にしてください。\n\n{T}", "into"),
        ("この文を{into}に訳して。{T}", "into"),
    ],
    "ko": [
        ("다음 문장을 {into}로 번역해 주세요.\n{T}", "into"),
        ("{into}로 번역해 줘: {T}", "into"),
        ("{T}\n\n이 글을 {into}로 옮겨 주세요.", "into"),
        ("이걸 {into}로 어떻게 말해요? {T}", "into"),
    ],
    "ar": [
        ("ترجم النص التالي إلى {into}:\n{T}", "into"),
        ("من فضلك ترجم هذه الفقرة إلى {into}.\n\n{T}", "into"),
        ("كيف أقول هذا بـ{into}؟ {T}", "into"),
        ("{T}\n\nأريد ترجمة هذا إلى {into}.", "into"),
    ],
    "hi": [
        ("कृपया इसका {into} में अनुवाद करें:\n{T}", "into"),
        ("इस अनुच्छेद को {into} में अनुवाद कीजिए।\n\n{T}", "into"),
        ("{T}\n\nइसे {into} में बदल दो।", "into"),
        ("इसे {into} में कैसे कहेंगे? {T}", "into"),
    ],
    "tr": [
        ("Lütfen şu metni {into} çevir:\n{T}", "into"),
        ("Aşağıdaki paragrafı {into} çevirebilir misin?\n\n{T}", "into"),
        ("{T}\n\nBunu {into} tercüme eder misiniz?", "into"),
    ],
    "pl": [
        ("Przetłumacz {into}:\n{T}", "into"),
        ("Proszę przetłumaczyć poniższy tekst {into}.\n\n{T}", "into"),
        ("Jak to powiedzieć {into}? {T}", "into"),
        ("{T}\n\nPrzetłumacz to {into}, proszę.", "into"),
    ],
    "sv": [
        ("Översätt {into}:\n{T}", "into"),
        ("Kan du översätta den här texten {into}?\n\n{T}", "into"),
    ],
    "vi": [
        ("Dịch đoạn văn sau {into}:\n{T}", "into"),
        ("Vui lòng dịch câu này {into}: {T}", "into"),
    ],
    "id": [
        ("Terjemahkan {into}:\n{T}", "into"),
        ("Tolong terjemahkan paragraf ini {into}.\n\n{T}", "into"),
    ],
    "cs": [
        ("Přeložte {into}:\n{T}", "into"),
        ("Prosím přelož tento text {into}.\n\n{T}", "into"),
    ],
}

# Bare target names for the French "Traduis en {L}" form (lowercase names).
FR_BARE = {"en": "anglais", "de": "allemand", "es": "espagnol", "it": "italien", "pt": "portugais",
           "ru": "russe", "zh": "chinois", "ja": "japonais", "ar": "arabe", "nl": "néerlandais",
           "fr": "français"}


def targets_for(instr_lang, form):
    """Target codes a template of this instruction language can name."""
    if instr_lang == "en":
        return list(EN.keys())
    if form == "bare":
        return list(FR_BARE.keys())
    return list(FORMS[instr_lang][form].keys())


def target_phrase(instr_lang, form, target):
    if instr_lang == "en":
        return EN[target]
    if form == "bare":
        return FR_BARE[target]
    return FORMS[instr_lang][form][target]


# Short instructions written in the target language itself ("translate into <this language>"),
# for languages the templates above do not cover.
SELF_TARGET = {
    "el": ["Μπορείς να το μεταφράσεις στα ελληνικά;\n{T}", "Μεταφράστε το παρακάτω κείμενο στα ελληνικά:\n{T}", "Μετάφρασε στα ελληνικά:\n{T}", "{T}\n\nΜετάφρασε το παραπάνω κείμενο στα ελληνικά."],
    "he": ["אפשר לתרגם את זה לעברית?\n{T}", "תרגם לעברית:\n{T}", "{T}\n\nבבקשה לתרגם לעברית."],
    "fa": ["لطفاً متن زیر را به فارسی برگردان:\n{T}", "این متن را به فارسی ترجمه کن:\n{T}", "{T}\n\nلطفاً به فارسی ترجمه کنید."],
    "th": ["ช่วยแปลเป็นภาษาไทยหน่อย:\n{T}", "แปลเป็นภาษาไทย:\n{T}", "{T}\n\nช่วยแปลข้อความนี้เป็นภาษาไทย"],
    "ro": ["Traduceți în limba română textul următor:\n{T}", "Poți traduce asta în română?\n{T}", "Tradu în limba română:\n{T}", "{T}\n\nTe rog să traduci textul în română."],
    "hu": ["Kérlek, fordítsd le ezt magyarra:\n{T}", "Fordítsa le magyar nyelvre a következő szöveget:\n{T}", "Fordítsd le magyarra:\n{T}", "{T}\n\nKérlek, fordítsd le ezt a szöveget magyarra."],
    "fi": ["Käännä tämä teksti suomeksi:\n{T}", "Suomenna seuraava teksti:\n{T}", "Voisitko kääntää seuraavan suomeksi?\n{T}", "Käännä suomeksi:\n{T}", "{T}\n\nVoisitko kääntää tämän suomeksi?"],
    "da": ["Oversæt venligst følgende tekst til dansk:\n{T}", "Oversæt til dansk:\n{T}", "{T}\n\nKan du oversætte teksten til dansk?"],
    "no": ["Oversett følgende tekst til norsk:\n{T}", "Oversett til norsk:\n{T}", "{T}\n\nKan du oversette dette til norsk?"],
    "bn": ["নিচের লেখাটি বাংলায় অনুবাদ করো:\n{T}", "বাংলায় অনুবাদ করুন:\n{T}", "{T}\n\nএই লেখাটি বাংলায় অনুবাদ করে দিন।"],
    "sw": ["Naomba unitafsirie kwa Kiswahili:\n{T}", "Tafsiri sentensi hii kwa Kiswahili: {T}", "Tafsiri kwa Kiswahili:\n{T}", "{T}\n\nTafadhali tafsiri maandishi haya kwa Kiswahili."],
    "ms": ["Sila terjemahkan teks berikut ke bahasa Melayu:\n{T}", "Terjemahkan ke dalam bahasa Melayu:\n{T}"],
    "ta": ["இதை தமிழில் மொழிபெயர்த்து தாருங்கள்:\n{T}", "தமிழில் மொழிபெயர்க்கவும்:\n{T}"],
    "ur": ["اس پیراگراف کا اردو ترجمہ کر دیں:\n{T}", "اردو میں ترجمہ کریں:\n{T}", "{T}\n\nبراہ کرم اس کا اردو میں ترجمہ کریں۔"],
    "ca": ["Tradueix aquest text al català, si us plau:\n{T}", "Tradueix al català:\n{T}", "{T}\n\nPots traduir aquest text al català?"],
    "hr": ["Molim prevedi sljedeći tekst na hrvatski:\n{T}", "Prevedi na hrvatski:\n{T}"],
    "bg": ["Може ли да преведеш това на български?\n{T}", "Преведи на български:\n{T}", "{T}\n\nМоля, преведете текста на български."],
    "sk": ["Preložte nasledujúci text do slovenčiny:\n{T}", "Prelož do slovenčiny:\n{T}"],
    "sr": ["Molim te prevedi na srpski:\n{T}", "Преведи на српски:\n{T}"],
    "lt": ["Prašau išversti šį tekstą į lietuvių kalbą:\n{T}", "Išversk į lietuvių kalbą:\n{T}"],
    "lv": ["Lūdzu, pārtulko šo tekstu latviski:\n{T}", "Iztulko latviešu valodā:\n{T}"],
    "et": ["Palun tõlgi see tekst eesti keelde:\n{T}", "Tõlgi eesti keelde:\n{T}"],
    "tl": ["Pakisalin sa Filipino ang talatang ito:\n{T}", "Isalin sa Filipino:\n{T}", "{T}\n\nPakisalin ito sa Tagalog."],
    "af": ["Vertaal asseblief die volgende teks na Afrikaans:\n{T}", "Vertaal na Afrikaans:\n{T}"],
    "sl": ["Prosim, prevedi naslednje besedilo v slovenščino:\n{T}", "Prevedi v slovenščino:\n{T}"],
    "ka": ["გთხოვთ, თარგმნეთ ეს ტექსტი ქართულად:\n{T}", "თარგმნე ქართულად:\n{T}"],
    "hy": ["Թարգմանիր հայերեն:\n{T}"],
    "kk": ["Мына мәтінді қазақ тіліне аударыңыз:\n{T}", "Қазақ тіліне аудар:\n{T}"],
    "ne": ["नेपालीमा अनुवाद गर्नुहोस्:\n{T}"],
    "mr": ["मराठीत भाषांतर करा:\n{T}"],
    "te": ["తెలుగులోకి అనువదించండి:\n{T}"],
    "am": ["ወደ አማርኛ ተርጉም:\n{T}"],
    "is": ["Geturðu þýtt þetta á íslensku?\n{T}", "Þýddu á íslensku:\n{T}"],
    "ga": ["Aistrigh go Gaeilge:\n{T}"],
    "cy": ["Cyfieithwch i'r Gymraeg:\n{T}"],
    "ha": ["Fassara zuwa Hausa:\n{T}"],
    "yo": ["Tumọ si èdè Yorùbá:\n{T}"],
    "zu": ["Humusha ngesiZulu:\n{T}"],
    "so": ["U turjun af-Soomaali:\n{T}"],
    "my": ["မြန်မာဘာသာသို့ ဘာသာပြန်ပါ:\n{T}"],
    "km": ["បកប្រែជាភាសាខ្មែរ:\n{T}"],
    "si": ["සිංහලට පරිවර්තනය කරන්න:\n{T}"],
    "pa": ["ਪੰਜਾਬੀ ਵਿੱਚ ਅਨੁਵਾਦ ਕਰੋ:\n{T}"],
    "gu": ["ગુજરાતીમાં અનુવાદ કરો:\n{T}"],
    "vi": ["Hãy dịch sang tiếng Việt:\n{T}"],
    "id": ["Tolong terjemahkan ke bahasa Indonesia:\n{T}"],
    "uk": ["Перекладіть українською:\n{T}"],
    "sv": ["Översätt till svenska, tack:\n{T}"],
    "cs": ["Přeložte do češtiny:\n{T}"],
}
