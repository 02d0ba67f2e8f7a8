"""Arithmetic word problems in many languages, with fresh numbers every time. Each schema draws
its numbers and returns {lang: text}; the builder picks one language. The same problems serve
reasoning rows (solve it) and translation rows (translate it, do not solve)."""

from .common import fmt_num, money, name


def _shopping(g, lang):
    a, p, q = g.int(2, 9), g.int(2, 15), g.int(15, 60)
    n = name(g, lang)
    P, Q = money(g, lang, p), money(g, lang, q)
    return {
        "en": f"{n} buys {a} notebooks at {P} each and a backpack for {Q}. How much does {n} spend in total?",
        "de": f"{n} kauft {a} Hefte zu je {P} und einen Rucksack für {Q}. Wie viel gibt {n} insgesamt aus?",
        "fr": f"{n} achète {a} cahiers à {P} chacun et un sac à dos à {Q}. Combien {n} dépense-t-il au total ?",
        "es": f"{n} compra {a} cuadernos a {P} cada uno y una mochila por {Q}. ¿Cuánto gasta {n} en total?",
        "it": f"{n} compra {a} quaderni a {P} l'uno e uno zaino da {Q}. Quanto spende in tutto?",
        "pt": f"{n} compra {a} cadernos a {P} cada e uma mochila por {Q}. Quanto {n} gasta no total?",
        "ru": f"{n} купил {a} тетрадей по {P} и рюкзак за {Q}. Сколько всего потратил {n}?",
        "zh": f"{n}买了{a}本笔记本，每本{P}，还买了一个{Q}的书包。{n}一共花了多少钱？",
        "ja": f"{n}さんはノートを{a}冊、1冊{P}で買い、さらに{Q}のリュックを買いました。全部でいくら使いましたか？",
        "ko": f"{n}는 공책 {a}권을 한 권에 {P}씩 사고, {Q}짜리 가방도 샀습니다. 모두 얼마를 썼을까요?",
        "tr": f"{n} tanesi {P} olan {a} defter ve {Q} değerinde bir sırt çantası alıyor. Toplam ne kadar harcar?",
        "pl": f"{n} kupuje {a} zeszytów po {P} i plecak za {Q}. Ile łącznie wydaje?",
        "nl": f"{n} koopt {a} schriften van {P} per stuk en een rugzak van {Q}. Hoeveel geeft {n} in totaal uit?",
    }


def _speed(g, lang):
    d = g.int(6, 40) * 10
    t = g.pick([2, 3, 4, 5, 2.5, 1.5])
    n = name(g, lang)
    T = fmt_num(t)
    return {
        "en": f"A train travels {d} km in {T} hours. At the same speed, how far will it travel in 7 hours?",
        "de": f"Ein Zug fährt {d} km in {T} Stunden. Wie weit kommt er bei gleicher Geschwindigkeit in 7 Stunden?",
        "fr": f"Un train parcourt {d} km en {T} heures. À la même vitesse, quelle distance parcourra-t-il en 7 heures ?",
        "es": f"Un tren recorre {d} km en {T} horas. A la misma velocidad, ¿cuántos kilómetros recorrerá en 7 horas?",
        "it": f"Un treno percorre {d} km in {T} ore. Alla stessa velocità, quanti chilometri percorrerà in 7 ore?",
        "pt": f"Um trem percorre {d} km em {T} horas. Na mesma velocidade, quantos quilômetros percorrerá em 7 horas?",
        "ru": f"Поезд проходит {d} км за {T} ч. Какое расстояние он пройдёт за 7 часов с той же скоростью?",
        "zh": f"一列火车{T}小时行驶{d}千米。照这样的速度，7小时能行驶多少千米？",
        "ja": f"電車が{T}時間で{d}km走ります。同じ速さで7時間走ると何km進みますか？",
        "ko": f"기차가 {T}시간 동안 {d}km를 달립니다. 같은 속도로 7시간 동안 몇 km를 갈 수 있을까요?",
        "ar": f"يقطع قطار مسافة {d} كم في {T} ساعات. ما المسافة التي سيقطعها في 7 ساعات بالسرعة نفسها؟",
        "hi": f"एक ट्रेन {T} घंटे में {d} किमी चलती है। उसी गति से 7 घंटे में वह कितनी दूरी तय करेगी?",
        "tr": f"Bir tren {T} saatte {d} km yol alıyor. Aynı hızla 7 saatte kaç km yol alır?",
        "pl": f"Pociąg pokonuje {d} km w {T} godziny. Jaką odległość przejedzie w 7 godzin z tą samą prędkością?",
        "nl": f"Een trein rijdt {d} km in {T} uur. Hoe ver komt hij in 7 uur met dezelfde snelheid?",
        "vi": f"Một đoàn tàu đi được {d} km trong {T} giờ. Với cùng vận tốc, trong 7 giờ tàu đi được bao nhiêu km?",
        "id": f"Sebuah kereta menempuh {d} km dalam {T} jam. Dengan kecepatan yang sama, berapa km yang ditempuh dalam 7 jam?",
        "_name": n,
    }


def _ages(g, lang):
    a, k, y = g.int(5, 14), g.int(2, 4), g.int(3, 12)
    n1, n2 = name(g, lang), name(g, lang)
    return {
        "en": f"{n1} is {a} years old. Her mother is {k} times as old. How old will her mother be in {y} years?",
        "de": f"{n1} ist {a} Jahre alt. Ihre Mutter ist {k}-mal so alt. Wie alt ist die Mutter in {y} Jahren?",
        "fr": f"{n1} a {a} ans. Sa mère a {k} fois son âge. Quel âge aura sa mère dans {y} ans ?",
        "es": f"{n1} tiene {a} años. Su madre tiene {k} veces su edad. ¿Cuántos años tendrá su madre dentro de {y} años?",
        "it": f"{n1} ha {a} anni. Sua madre ha {k} volte la sua età. Quanti anni avrà la madre tra {y} anni?",
        "pt": f"{n1} tem {a} anos. A mãe dela tem {k} vezes a sua idade. Quantos anos a mãe terá daqui a {y} anos?",
        "ru": f"{n1} {a} лет. Её мама в {k} раза старше. Сколько лет будет маме через {y} лет?",
        "zh": f"{n1}今年{a}岁，妈妈的年龄是她的{k}倍。{y}年后妈妈多少岁？",
        "ja": f"{n1}さんは{a}歳です。お母さんの年齢はその{k}倍です。{y}年後、お母さんは何歳になりますか？",
        "ko": f"{n1}는 {a}살입니다. 엄마의 나이는 {n1}의 {k}배입니다. {y}년 후 엄마는 몇 살이 될까요?",
        "tr": f"{n1} {a} yaşında. Annesi onun {k} katı yaşında. {y} yıl sonra annesi kaç yaşında olur?",
        "_n2": n2,
    }


def _percent(g, lang):
    p0 = g.int(20, 400) * 5
    pct = g.pick([10, 15, 20, 25, 30, 40])
    n = name(g, lang)
    P = money(g, lang, p0)
    return {
        "en": f"A jacket costs {P}. During a sale the price is reduced by {pct}%. {n} also has a coupon for another 10% off the sale price. What does {n} pay?",
        "de": f"Eine Jacke kostet {P}. Im Ausverkauf wird der Preis um {pct} % gesenkt. {n} hat außerdem einen Gutschein über weitere 10 % auf den reduzierten Preis. Wie viel zahlt {n}?",
        "fr": f"Une veste coûte {P}. Pendant les soldes, le prix baisse de {pct} %. {n} a aussi un bon de réduction de 10 % sur le prix soldé. Combien paie {n} ?",
        "es": f"Una chaqueta cuesta {P}. En las rebajas el precio baja un {pct} %. Además, {n} tiene un cupón de un 10 % sobre el precio rebajado. ¿Cuánto paga {n}?",
        "it": f"Una giacca costa {P}. Durante i saldi il prezzo scende del {pct}%. {n} ha anche un buono del 10% sul prezzo scontato. Quanto paga {n}?",
        "pt": f"Uma jaqueta custa {P}. Na liquidação o preço cai {pct}%. {n} ainda tem um cupom de 10% sobre o preço com desconto. Quanto {n} paga?",
        "ru": f"Куртка стоит {P}. На распродаже цену снизили на {pct}%. У {n} есть ещё купон на 10% от сниженной цены. Сколько заплатит покупатель?",
        "zh": f"一件夹克原价{P}，打折时降价{pct}%。{n}还有一张在折后价基础上再减10%的优惠券。{n}最后要付多少钱？",
        "ja": f"ジャケットの値段は{P}です。セールで{pct}%値下げされ、さらに{n}さんはセール価格から10%引きのクーポンを持っています。{n}さんはいくら払いますか？",
        "ko": f"재킷 가격은 {P}입니다. 세일 기간에 {pct}% 할인되고, {n}는 할인된 가격에서 10%를 더 깎아 주는 쿠폰이 있습니다. {n}는 얼마를 내야 할까요?",
        "hi": f"एक जैकेट की कीमत {P} है। सेल में कीमत {pct}% कम हो जाती है। {n} के पास घटी हुई कीमत पर 10% का एक और कूपन है। {n} कितना भुगतान करेगा?",
        "ar": f"سعر سترة {P}. في التخفيضات ينخفض السعر بنسبة {pct}%. ولدى {n} قسيمة خصم إضافي 10% على السعر المخفض. كم يدفع {n}؟",
        "pl": f"Kurtka kosztuje {P}. W czasie wyprzedaży cena spada o {pct}%. {n} ma jeszcze kupon na dodatkowe 10% od ceny promocyjnej. Ile zapłaci?",
    }


def _sharing(g, lang):
    k = g.int(3, 8)
    per = g.int(4, 12)
    extra = g.int(1, k - 1)
    total = k * per + extra
    n = name(g, lang)
    return {
        "en": f"{n} has {total} stickers and wants to share them equally among {k} friends. How many stickers does each friend get, and how many are left over?",
        "de": f"{n} hat {total} Sticker und möchte sie gleichmäßig an {k} Freunde verteilen. Wie viele bekommt jeder, und wie viele bleiben übrig?",
        "fr": f"{n} a {total} autocollants et veut les partager équitablement entre {k} amis. Combien chacun en reçoit-il et combien en reste-t-il ?",
        "es": f"{n} tiene {total} pegatinas y quiere repartirlas por igual entre {k} amigos. ¿Cuántas recibe cada uno y cuántas sobran?",
        "it": f"{n} ha {total} adesivi e vuole dividerli in parti uguali tra {k} amici. Quanti ne riceve ciascuno e quanti ne avanzano?",
        "ru": f"У {n} есть {total} наклеек. Их нужно поровну разделить между {k} друзьями. Сколько получит каждый и сколько останется?",
        "zh": f"{n}有{total}张贴纸，要平均分给{k}个朋友。每人分到几张？还剩几张？",
        "ja": f"{n}さんはシールを{total}枚持っていて、{k}人の友だちに同じ数ずつ分けます。1人何枚もらえて、何枚余りますか？",
        "ko": f"{n}는 스티커 {total}장을 친구 {k}명에게 똑같이 나누어 주려고 합니다. 한 명이 몇 장씩 받고 몇 장이 남을까요?",
        "nl": f"{n} heeft {total} stickers en wil ze eerlijk verdelen over {k} vrienden. Hoeveel krijgt ieder en hoeveel blijven er over?",
        "tr": f"{n}'in {total} çıkartması var ve bunları {k} arkadaşına eşit olarak paylaştırmak istiyor. Her biri kaç tane alır, kaç tane artar?",
    }


def _work(g, lang):
    a, b = g.pick([(3, 6), (4, 12), (6, 3), (10, 15), (5, 20), (8, 24)])
    return {
        "en": f"One pipe fills a tank in {a} hours and a second pipe fills it in {b} hours. How long does it take to fill the tank with both pipes open?",
        "de": f"Ein Rohr füllt einen Tank in {a} Stunden, ein zweites in {b} Stunden. Wie lange dauert es, wenn beide Rohre gleichzeitig offen sind?",
        "fr": f"Un robinet remplit une cuve en {a} heures et un second en {b} heures. Combien de temps faut-il avec les deux robinets ouverts ?",
        "es": f"Un grifo llena un depósito en {a} horas y otro en {b} horas. ¿Cuánto tardan los dos juntos en llenarlo?",
        "ru": f"Первая труба наполняет бак за {a} ч, вторая — за {b} ч. За сколько часов наполнят бак обе трубы вместе?",
        "zh": f"一个水池，甲管单独注满需要{a}小时，乙管单独注满需要{b}小时。两管同时打开，几小时能注满？",
        "ja": f"水槽をAの管だけでいっぱいにするには{a}時間、Bの管だけでは{b}時間かかります。両方同時に使うと何時間でいっぱいになりますか？",
        "pt": f"Uma torneira enche um tanque em {a} horas e outra em {b} horas. Quanto tempo as duas juntas levam para enchê-lo?",
        "it": f"Un rubinetto riempie una vasca in {a} ore e un altro in {b} ore. Quanto tempo serve con entrambi aperti?",
        "pl": f"Jedna rura napełnia zbiornik w {a} godzin, a druga w {b} godzin. Ile czasu potrzeba, gdy obie są otwarte?",
    }


def _garden(g, lang):
    l, w = g.int(5, 30), g.int(3, 20)
    return {
        "en": f"A rectangular garden is {l} m long and {w} m wide. A fence is built around it, with a 2 m gate left open. How many metres of fence are needed?",
        "de": f"Ein rechteckiger Garten ist {l} m lang und {w} m breit. Er wird eingezäunt, wobei ein Tor von 2 m frei bleibt. Wie viele Meter Zaun braucht man?",
        "fr": f"Un jardin rectangulaire mesure {l} m de long et {w} m de large. On l'entoure d'une clôture en laissant un portail de 2 m. Combien de mètres de clôture faut-il ?",
        "es": f"Un jardín rectangular mide {l} m de largo y {w} m de ancho. Se pone una valla alrededor dejando una puerta de 2 m. ¿Cuántos metros de valla hacen falta?",
        "ru": f"Прямоугольный сад имеет длину {l} м и ширину {w} м. Его огораживают забором, оставляя калитку шириной 2 м. Сколько метров забора нужно?",
        "zh": f"一个长方形花园长{l}米、宽{w}米。沿四周围上篱笆，留一个2米宽的门。需要多少米篱笆？",
        "ja": f"縦{l}m、横{w}mの長方形の庭の周りに柵を作ります。2mの入口を空けるとき、柵は何m必要ですか？",
        "ko": f"가로 {l}m, 세로 {w}m인 직사각형 정원 둘레에 울타리를 치려고 합니다. 2m짜리 문을 남겨 두면 울타리는 몇 m 필요할까요?",
        "hi": f"एक आयताकार बगीचा {l} मीटर लंबा और {w} मीटर चौड़ा है। उसके चारों ओर बाड़ लगानी है और 2 मीटर का गेट खुला छोड़ना है। कितने मीटर बाड़ चाहिए?",
        "ar": f"حديقة مستطيلة طولها {l} م وعرضها {w} م. يُبنى حولها سياج مع ترك بوابة عرضها 2 م. كم مترًا من السياج نحتاج؟",
        "it": f"Un giardino rettangolare è lungo {l} m e largo {w} m. Si costruisce una recinzione lasciando un cancello di 2 m. Quanti metri di recinzione servono?",
    }


def _savings(g, lang):
    goal, save, have = g.int(20, 90) * 10, g.int(15, 60), g.int(2, 15) * 10
    n = name(g, lang)
    G, S, H = money(g, lang, goal), money(g, lang, save), money(g, lang, have)
    return {
        "en": f"{n} wants to buy a bike that costs {G}. {n} has already saved {H} and puts aside {S} every week. After how many weeks can {n} buy the bike?",
        "de": f"{n} möchte ein Fahrrad für {G} kaufen. {H} hat {n} schon gespart, und jede Woche kommen {S} dazu. Nach wie vielen Wochen reicht das Geld?",
        "fr": f"{n} veut acheter un vélo à {G}. Il a déjà économisé {H} et met de côté {S} par semaine. Au bout de combien de semaines pourra-t-il l'acheter ?",
        "es": f"{n} quiere comprarse una bicicleta que cuesta {G}. Ya ha ahorrado {H} y guarda {S} cada semana. ¿En cuántas semanas podrá comprarla?",
        "pt": f"{n} quer comprar uma bicicleta de {G}. Já juntou {H} e guarda {S} por semana. Em quantas semanas poderá comprá-la?",
        "ru": f"{n} хочет купить велосипед за {G}. У него уже есть {H}, и каждую неделю он откладывает {S}. Через сколько недель он сможет купить велосипед?",
        "zh": f"{n}想买一辆{G}的自行车。他已经存了{H}，每周再存{S}。至少要几周才能买下这辆车？",
        "ja": f"{n}さんは{G}の自転車を買いたいと思っています。すでに{H}貯めていて、毎週{S}ずつ貯金します。何週間後に買えますか？",
        "tr": f"{n} {G} fiyatındaki bir bisikleti almak istiyor. Şimdiye kadar {H} biriktirdi ve her hafta {S} ayırıyor. Kaç hafta sonra bisikleti alabilir?",
        "pl": f"{n} chce kupić rower za {G}. Ma już odłożone {H} i co tydzień odkłada {S}. Po ilu tygodniach kupi rower?",
        "nl": f"{n} wil een fiets kopen van {G}. Er is al {H} gespaard en elke week komt er {S} bij. Na hoeveel weken kan de fiets gekocht worden?",
    }


def _recipe(g, lang):
    s1, s2 = g.pick([(4, 6), (4, 10), (6, 9), (2, 5), (8, 12)])
    f = g.int(150, 500)
    return {
        "en": f"A recipe for {s1} people needs {f} g of flour. How much flour is needed for {s2} people?",
        "de": f"Ein Rezept für {s1} Personen braucht {f} g Mehl. Wie viel Mehl braucht man für {s2} Personen?",
        "fr": f"Une recette pour {s1} personnes demande {f} g de farine. Quelle quantité faut-il pour {s2} personnes ?",
        "es": f"Una receta para {s1} personas lleva {f} g de harina. ¿Cuánta harina se necesita para {s2} personas?",
        "it": f"Una ricetta per {s1} persone richiede {f} g di farina. Quanta farina serve per {s2} persone?",
        "ru": f"Рецепт на {s1} человек требует {f} г муки. Сколько муки нужно на {s2} человек?",
        "zh": f"一份{s1}人份的食谱需要{f}克面粉。做{s2}人份需要多少克面粉？",
        "ja": f"{s1}人分のレシピに小麦粉が{f}g必要です。{s2}人分では何g必要ですか？",
        "ko": f"{s1}인분 요리법에 밀가루 {f}g이 필요합니다. {s2}인분에는 몇 g이 필요할까요?",
        "vi": f"Một công thức cho {s1} người cần {f} g bột mì. Cần bao nhiêu bột cho {s2} người?",
    }


def _interest(g, lang):
    p, r, y = g.int(10, 90) * 100, g.pick([2, 3, 4, 5, 6]), g.int(2, 6)
    P = money(g, lang, p)
    return {
        "en": f"You deposit {P} in an account that pays {r}% interest per year, compounded annually. How much is in the account after {y} years?",
        "de": f"Du legst {P} zu {r} % Zinsen pro Jahr an, die jährlich gutgeschrieben werden. Wie viel ist nach {y} Jahren auf dem Konto?",
        "fr": f"On place {P} à {r} % d'intérêts composés par an. Quel est le montant sur le compte après {y} ans ?",
        "es": f"Depositas {P} en una cuenta que paga un {r} % anual de interés compuesto. ¿Cuánto habrá al cabo de {y} años?",
        "pt": f"Você deposita {P} numa conta que rende {r}% ao ano, com juros compostos. Quanto haverá após {y} anos?",
        "ru": f"Вклад {P} положили под {r}% годовых с ежегодной капитализацией. Сколько денег будет на счёте через {y} лет?",
        "zh": f"把{P}存入银行，年利率{r}%，按年复利计算。{y}年后账户里有多少钱？",
        "ja": f"{P}を年利{r}%の複利で預けました。{y}年後の残高はいくらですか？",
        "tr": f"{P} yıllık %{r} bileşik faizle bankaya yatırılıyor. {y} yıl sonra hesapta ne kadar para olur?",
    }


def _clock(g, lang):
    h, m = g.int(6, 10), g.pick([0, 15, 20, 30, 45])
    d = g.int(35, 170)
    n = name(g, lang)
    hm = f"{h}:{m:02d}"
    return {
        "en": f"{n} leaves home at {hm} and the trip takes {d} minutes, including a 10-minute stop. At what time does {n} arrive?",
        "de": f"{n} fährt um {hm} Uhr los. Die Fahrt dauert {d} Minuten, einschließlich einer Pause von 10 Minuten. Wann kommt {n} an?",
        "fr": f"{n} part de chez lui à {h}h{m:02d} et le trajet dure {d} minutes, pause de 10 minutes comprise. À quelle heure arrive-t-il ?",
        "es": f"{n} sale de casa a las {hm} y el viaje dura {d} minutos, incluida una parada de 10 minutos. ¿A qué hora llega?",
        "ru": f"{n} выходит из дома в {hm}, дорога занимает {d} минут, включая остановку на 10 минут. Во сколько {n} приедет?",
        "zh": f"{n}早上{hm}出门，路上一共用{d}分钟，其中包括停留10分钟。{n}几点到达？",
        "ja": f"{n}さんは{hm}に家を出ました。途中の10分の休憩を含めて{d}分かかります。何時に着きますか？",
        "ko": f"{n}는 {hm}에 집을 나섭니다. 10분 휴식을 포함해 {d}분이 걸립니다. 몇 시에 도착할까요?",
        "it": f"{n} esce di casa alle {hm} e il viaggio dura {d} minuti, compresa una sosta di 10 minuti. A che ora arriva?",
    }


def _multi_step_en(g, lang):
    """English-only multi-step problems (GSM8K-like variety)."""
    n1, n2 = name(g, "en"), name(g, "en")
    a, b, c, d = g.int(2, 9), g.int(10, 40), g.int(2, 6), g.int(3, 20)
    options = [
        f"{n1} runs a lemonade stand. Each cup costs her ${c/4:.2f} to make and she sells it for ${c/2:.2f}. On Saturday she sold {b} cups and on Sunday {a} more than on Saturday. What was her total profit for the weekend?",
        f"A bookshelf has {a} shelves with {b} books each. {n1} donates one third of the books and buys {d} new ones. How many books are on the shelf now?",
        f"{n1} is twice as old as {n2}. In {d} years the sum of their ages will be {3*b + 2*d}. How old is {n2} now?",
        f"A bakery makes {b} loaves an hour for {a} hours a day. If {c*5}% of the loaves are sold at a discount and the rest at full price, how many loaves are sold at full price each day?",
        f"{n1} reads {b} pages on Monday, twice as many on Tuesday, and {d} fewer than Tuesday on Wednesday. If the book has {b*6 + d} pages, how many pages are left?",
        f"There are {b} marbles in a jar: {a} are red, twice as many are blue and the rest are green. If {n1} picks a marble at random, what is the probability it is green?",
        f"A car uses {c + 4} litres of fuel per 100 km. Fuel costs ${1 + c/10:.2f} per litre. How much does a {b*10} km trip cost?",
        f"{n1} earns ${b} an hour and works {a} hours on weekdays and {c} hours on Saturdays. How much does {n1} earn in four weeks?",
        f"The temperature at 6 a.m. was {-a} degrees. It rose by {c} degrees every hour until noon. What was the temperature at noon?",
        f"{n1} bought {a} packs of pens with {b} pens in each pack. She gave {d} pens to each of her {c} classmates. How many pens does she have left?",
        f"A rectangle's length is {a + 3} times its width, and its perimeter is {2*(a+4)*c} cm. What is its area?",
        f"In a class of {b + 10} students, {a*2} play football, {c*3} play basketball and {c} play both. How many students play neither?",
        f"A phone plan costs ${b} a month plus ${c/10:.2f} per minute over {d*50} minutes. {n1} talked for {d*50 + b*3} minutes last month. What was the bill?",
        f"{n1} can paint a fence in {a+2} hours and {n2} can paint it in {a+5} hours. How long will it take them working together?",
        f"A water tank holds {b*100} litres. It leaks {c} litres per hour, and a tap adds {a} litres per hour. After how many hours is the tank half full if it starts full?",
    ]
    return {"en": g.pick(options)}


SCHEMAS = [_shopping, _speed, _ages, _percent, _sharing, _work, _garden, _savings,
           _recipe, _interest, _clock, _multi_step_en, _multi_step_en, _multi_step_en]


def word_problem(g, lang=None):
    """Returns (lang, text, schema name); lang None picks any language the schema has."""
    schema = g.pick(SCHEMAS)
    langs = sorted(k for k in schema(g, "en") if not k.startswith("_"))
    if lang is None:
        lang = g.pick(langs)
    elif lang not in langs:
        lang = "en"
    return lang, schema(g, lang)[lang], schema.__name__.strip("_")


# "Solve this" instructions per language (used with a problem, before or after it).
SOLVE = {
    "en": ["Solve the following problem.", "Solve this word problem step by step.", "Answer the question below.",
           "Work this out and give the final number.", "Can you solve this?", "Show your reasoning.",
           "Please solve:", "Math question:", "Think step by step and give the answer.",
           "Find the answer and explain how you got it.", "Quick math problem for you:",
           "My kid got this homework problem and I'm stuck:", "What's the answer to this?"],
    "de": ["Löse die folgende Aufgabe.", "Rechne bitte Schritt für Schritt.", "Wie lautet die Lösung?",
           "Kannst du mir bei dieser Textaufgabe helfen?", "Bitte mit Rechenweg beantworten:"],
    "fr": ["Résous ce problème.", "Résolvez le problème suivant étape par étape.", "Quelle est la réponse ?",
           "Peux-tu m'aider à résoudre cet exercice ?", "Donne le calcul détaillé :"],
    "es": ["Resuelve el siguiente problema.", "Resuélvelo paso a paso.", "¿Cuál es la respuesta?",
           "¿Me ayudas con este problema de matemáticas?", "Explica el razonamiento:"],
    "it": ["Risolvi il seguente problema.", "Spiega i passaggi e dai il risultato.", "Qual è la risposta?"],
    "pt": ["Resolva o problema a seguir.", "Resolva passo a passo.", "Qual é a resposta?"],
    "nl": ["Los de volgende opgave op.", "Reken het stap voor stap uit."],
    "ru": ["Реши задачу.", "Решите задачу по шагам.", "Какой ответ?", "Помогите решить задачу:"],
    "zh": ["请解答下面的题目。", "请一步一步地解这道题。", "答案是多少？", "帮我算一下这道应用题："],
    "ja": ["次の問題を解いてください。", "途中の式も書いて答えてください。", "答えは何ですか？"],
    "ko": ["다음 문제를 풀어 주세요.", "풀이 과정과 함께 답을 알려 주세요."],
    "ar": ["حل المسألة التالية.", "اشرح خطوات الحل."],
    "hi": ["निम्नलिखित प्रश्न हल कीजिए।", "चरण दर चरण हल करें।"],
    "tr": ["Aşağıdaki problemi çöz.", "Adım adım çözer misin?"],
    "pl": ["Rozwiąż zadanie.", "Rozwiąż krok po kroku."],
    "vi": ["Giải bài toán sau.", "Hãy giải từng bước."],
    "id": ["Selesaikan soal berikut.", "Jawab dengan langkah-langkahnya."],
}
