"""The curated part of the CPV (Wspólny Słownik Zamówień): the divisions, groups and classes that
social economy entities (PES) work in — catering, cleaning, green areas, printing, events,
training, social services and the like.

Codes are kept without the check digit (``exchange.cpv.display`` adds it). Names are those of
Regulation (EC) No 213/2008 in its Polish and English versions. The data migration
``exchange/0002_curated_cpv`` loads this list; ``manage.py import_cpv`` later brings in the whole
official vocabulary and its names, and keeps these codes marked as curated.
"""

from .cpv import parent_code

# (code, Polish name, English name)
CURATED_CPV = (
    # 03 — agricultural, farming and horticultural products
    (
        "03000000",
        "Produkty rolnictwa, hodowli, rybołówstwa, leśnictwa i podobne",
        "Agricultural, farming, fishing, forestry and related products",
    ),
    ("03100000", "Produkty rolnictwa i ogrodnictwa", "Agricultural and horticultural products"),
    ("03120000", "Produkty ogrodnictwa i szkółkarstwa", "Horticultural and nursery products"),
    ("03121000", "Produkty ogrodnicze", "Horticultural products"),
    (
        "03121100",
        "Rośliny żywe, cebulki, korzenie, sadzonki i szczepy",
        "Live plants, bulbs, roots, cuttings and slips",
    ),
    ("03121200", "Kwiaty cięte", "Cut flowers"),
    ("03121210", "Kompozycje kwiatowe", "Floral arrangements"),
    # 15 — food
    (
        "15000000",
        "Żywność, napoje, tytoń i produkty pokrewne",
        "Food, beverages, tobacco and related products",
    ),
    ("15300000", "Owoce, warzywa i podobne produkty", "Fruit, vegetables and related products"),
    ("15800000", "Różne produkty spożywcze", "Miscellaneous food products"),
    (
        "15810000",
        "Pieczywo, świeże wyroby piekarskie i ciastkarskie",
        "Bread products, fresh pastry goods and cakes",
    ),
    ("15811000", "Pieczywo", "Bread products"),
    ("15812000", "Ciastka i wyroby ciastkarskie", "Pastry goods and cakes"),
    (
        "15840000",
        "Kakao; czekolada i wyroby cukiernicze",
        "Cocoa; chocolate and sugar confectionery",
    ),
    # 18 — clothing and bags
    (
        "18000000",
        "Odzież, obuwie, artykuły bagażowe i dodatki",
        "Clothing, footwear, luggage articles and accessories",
    ),
    (
        "18100000",
        "Odzież branżowa, specjalna odzież robocza i dodatki",
        "Occupational clothing, special workwear and accessories",
    ),
    ("18110000", "Odzież branżowa", "Occupational clothing"),
    ("18130000", "Specjalna odzież robocza", "Special workwear"),
    ("18200000", "Odzież wierzchnia", "Outerwear"),
    (
        "18900000",
        "Bagaże, wyroby rymarskie, worki i torby",
        "Luggage, saddlery, sacks and bags",
    ),
    ("18930000", "Worki i torby", "Sacks and bags"),
    # 22 — printed matter
    ("22000000", "Druki i produkty podobne", "Printed matter and related products"),
    (
        "22100000",
        "Drukowane książki, broszury i ulotki",
        "Printed books, brochures and leaflets",
    ),
    ("22110000", "Drukowane książki", "Printed books"),
    ("22140000", "Ulotki", "Leaflets"),
    ("22150000", "Broszury", "Brochures"),
    ("22900000", "Różne druki", "Miscellaneous printed matter"),
    # 33 (selected) — personal care products
    (
        "33000000",
        "Urządzenia medyczne, farmaceutyki i produkty do pielęgnacji ciała",
        "Medical equipments, pharmaceuticals and personal care products",
    ),
    ("33100000", "Urządzenia medyczne", "Medical equipments"),
    (
        "33190000",
        "Różne urządzenia i produkty medyczne",
        "Miscellaneous medical devices and products",
    ),
    ("33700000", "Produkty do pielęgnacji ciała", "Personal care products"),
    (
        "33760000",
        "Papier toaletowy, chusteczki higieniczne, ręczniki do rąk i serwetki",
        "Toilet paper, handkerchiefs, hand towels and serviettes",
    ),
    # 37 — sport, toys, handicraft
    (
        "37000000",
        "Instrumenty muzyczne, artykuły sportowe, gry, zabawki, wyroby rzemieślnicze, "
        "materiały artystyczne i akcesoria",
        "Musical instruments, sport goods, games, toys, handicraft, art materials and accessories",
    ),
    ("37400000", "Artykuły i sprzęt sportowy", "Sports goods and equipment"),
    (
        "37500000",
        "Gry i zabawki; urządzenia wesołych miasteczek",
        "Games and toys; fairground amusements",
    ),
    ("37520000", "Zabawki", "Toys"),
    ("37800000", "Wyroby rękodzielnicze i artystyczne", "Handicraft and art supplies"),
    ("37810000", "Wyroby rękodzielnicze", "Handicraft supplies"),
    ("37820000", "Przybory artystyczne", "Art supplies"),
    # 39 — furniture, textiles, cleaning products
    (
        "39000000",
        "Meble (włącznie z biurowymi), wyposażenie, urządzenia domowe (z wyłączeniem "
        "oświetlenia) i środki czyszczące",
        "Furniture (incl. office furniture), furnishings, domestic appliances (excl. lighting) "
        "and cleaning products",
    ),
    ("39100000", "Meble", "Furniture"),
    (
        "39110000",
        "Siedziska, krzesła i produkty z nimi związane, i części do nich",
        "Seats, chairs and related products, and associated parts",
    ),
    ("39130000", "Meble biurowe", "Office furniture"),
    ("39150000", "Różne meble i wyposażenie", "Miscellaneous furniture and equipment"),
    ("39160000", "Meble szkolne", "School furniture"),
    ("39500000", "Wyroby włókiennicze", "Textile articles"),
    ("39800000", "Środki czyszczące i polerujące", "Cleaning and polishing products"),
    ("39830000", "Produkty czyszczące", "Cleaning products"),
    # 44 (selected) — construction materials
    (
        "44000000",
        "Konstrukcje i materiały budowlane; wyroby pomocnicze dla budownictwa (z wyjątkiem "
        "aparatury elektrycznej)",
        "Construction structures and materials; auxiliary products to construction (except "
        "electric apparatus)",
    ),
    (
        "44100000",
        "Materiały konstrukcyjne i elementy podobne",
        "Construction materials and associated items",
    ),
    ("44190000", "Różne materiały konstrukcyjne", "Various construction materials"),
    # 45 — construction work (finishing, renovation, landscaping)
    ("45000000", "Roboty budowlane", "Construction work"),
    ("45100000", "Przygotowanie terenu pod budowę", "Site preparation work"),
    (
        "45110000",
        "Roboty w zakresie burzenia i rozbiórki obiektów budowlanych; roboty ziemne",
        "Building demolition and wrecking work and earthmoving work",
    ),
    ("45112000", "Roboty w zakresie usuwania gleby", "Excavating and earthmoving work"),
    ("45112700", "Roboty w zakresie kształtowania terenu", "Landscaping work"),
    (
        "45400000",
        "Roboty wykończeniowe w zakresie obiektów budowlanych",
        "Building completion work",
    ),
    ("45410000", "Tynkowanie", "Plastering work"),
    (
        "45420000",
        "Roboty w zakresie zakładania stolarki budowlanej oraz roboty ciesielskie",
        "Joinery and carpentry installation work",
    ),
    ("45430000", "Pokrywanie podłóg i ścian", "Floor and wall covering work"),
    ("45440000", "Roboty malarskie i szklarskie", "Painting and glazing work"),
    ("45442000", "Nakładanie powłok", "Application work of protective coatings"),
    ("45442100", "Roboty malarskie", "Painting work"),
    ("45450000", "Roboty budowlane wykończeniowe, pozostałe", "Other building completion work"),
    ("45453000", "Roboty remontowe i renowacyjne", "Overhaul and refurbishment work"),
    ("45453100", "Roboty renowacyjne", "Refurbishment work"),
    # 50 — repair and maintenance
    ("50000000", "Usługi naprawcze i konserwacyjne", "Repair and maintenance services"),
    (
        "50700000",
        "Usługi w zakresie napraw i konserwacji instalacji budynkowych",
        "Repair and maintenance services of building installations",
    ),
    (
        "50800000",
        "Różne usługi w zakresie napraw i konserwacji",
        "Miscellaneous repair and maintenance services",
    ),
    (
        "50830000",
        "Usługi w zakresie napraw i konserwacji odzieży i materiałów włókienniczych",
        "Repair and maintenance services of clothing and textiles",
    ),
    (
        "50850000",
        "Usługi w zakresie napraw i konserwacji mebli",
        "Repair and maintenance services of furniture",
    ),
    # 55 — hotels, restaurants, canteens and catering
    (
        "55000000",
        "Usługi hotelarskie, restauracyjne i handlu detalicznego",
        "Hotel, restaurant and retail trade services",
    ),
    ("55100000", "Usługi hotelarskie", "Hotel services"),
    ("55110000", "Hotelarskie usługi noclegowe", "Hotel accommodation services"),
    (
        "55120000",
        "Usługi hotelarskie w zakresie spotkań i konferencji",
        "Hotel meeting and conference services",
    ),
    (
        "55300000",
        "Usługi restauracyjne i dotyczące podawania posiłków",
        "Restaurant and food-serving services",
    ),
    ("55310000", "Usługi restauracyjne z obsługą kelnerską", "Restaurant waiter services"),
    ("55320000", "Usługi podawania posiłków", "Meal-serving services"),
    ("55321000", "Usługi przygotowywania posiłków", "Meal-preparation services"),
    ("55322000", "Usługi gotowania posiłków", "Meal-cooking services"),
    ("55330000", "Usługi kafeterii", "Cafeteria services"),
    ("55400000", "Usługi podawania napojów", "Beverage-serving services"),
    ("55500000", "Usługi stołówek i usługi cateringowe", "Canteen and catering services"),
    ("55510000", "Usługi stołówek", "Canteen services"),
    (
        "55511000",
        "Usługi stołówek i inne usługi kawiarniane dla ograniczonej grupy klientów",
        "Canteen and other restricted-clientele cafeteria services",
    ),
    ("55512000", "Usługi prowadzenia stołówek", "Canteen management services"),
    ("55520000", "Usługi dostarczania posiłków", "Catering services"),
    (
        "55521000",
        "Usługi dostarczania posiłków dla gospodarstw domowych",
        "Catering services for private households",
    ),
    ("55521100", "Usługi „posiłków na kółkach”", "Meals-on-wheels services"),
    ("55521200", "Usługi dostarczania posiłków", "Meal delivery service"),
    (
        "55523000",
        "Usługi dostarczania posiłków dla innych przedsiębiorstw lub innych instytucji",
        "Catering services for other enterprises or other institutions",
    ),
    ("55523100", "Usługi w zakresie posiłków szkolnych", "School-meal services"),
    ("55524000", "Usługi dostarczania posiłków do szkół", "School catering services"),
    # 60 — transport of people
    (
        "60000000",
        "Usługi transportowe (z wyłączeniem transportu odpadów)",
        "Transport services (excl. Waste transport)",
    ),
    ("60100000", "Usługi w zakresie transportu drogowego", "Road transport services"),
    (
        "60130000",
        "Usługi w zakresie specjalistycznego transportu drogowego osób",
        "Special-purpose road passenger-transport services",
    ),
    ("60140000", "Nieregularny transport osób", "Non-scheduled passenger transport"),
    (
        "60170000",
        "Wynajem pojazdów do transportu osobowego z kierowcą",
        "Hire of passenger transport vehicles with driver",
    ),
    # 63 — tourism
    (
        "63000000",
        "Usługi dodatkowe i pomocnicze w zakresie transportu; usługi biur podróży",
        "Supporting and auxiliary transport services; travel agencies services",
    ),
    (
        "63500000",
        "Usługi biur podróży, podmiotów zajmujących się turystyką zorganizowaną i usługi "
        "pomocy turystycznej",
        "Travel agency, tour operator and tourist assistance services",
    ),
    ("63510000", "Usługi biur podróży i podobne", "Travel agency and similar services"),
    ("63511000", "Organizacja wycieczek", "Organisation of package tours"),
    ("63513000", "Usługi informacji turystycznej", "Tourist information services"),
    ("63514000", "Usługi przewodników turystycznych", "Tourist guide services"),
    # 70 — real estate
    ("70000000", "Usługi w zakresie nieruchomości", "Real estate services"),
    (
        "70300000",
        "Usługi agencji nieruchomości świadczone na zlecenie",
        "Real estate agency services on a fee or contract basis",
    ),
    (
        "70330000",
        "Usługi zarządzania nieruchomością świadczone na zlecenie",
        "Property management services of real estate on a fee or contract basis",
    ),
    # 72 — IT. Not its groups 72400000 to 72900000 (Internet services, web design, computer
    # support): their published check digits do not follow the weights in exchange.cpv, which
    # would show them with a wrong digit; the full import brings them once that is settled.
    (
        "72000000",
        "Usługi informatyczne: konsultacyjne, opracowywania oprogramowania, internetowe i wsparcia",
        "IT services: consulting, software development, Internet and support",
    ),
    ("72500000", "Komputerowe usługi pokrewne", "Computer-related services"),
    # 77 — gardening and green areas
    (
        "77000000",
        "Usługi rolnicze, leśne, ogrodnicze, hydroponiczne i pszczelarskie",
        "Agricultural, forestry, horticultural, aquacultural and apicultural services",
    ),
    ("77100000", "Usługi rolnicze", "Agricultural services"),
    ("77200000", "Usługi leśnictwa", "Forestry services"),
    ("77210000", "Usługi pozyskiwania drewna", "Logging services"),
    (
        "77211000",
        "Usługi związane z pozyskiwaniem drewna",
        "Services incidental to logging",
    ),
    ("77211400", "Usługi wycinania drzew", "Tree-cutting services"),
    ("77211500", "Usługi utrzymania drzew", "Tree-maintenance services"),
    ("77300000", "Usługi ogrodnicze", "Horticultural services"),
    (
        "77310000",
        "Usługi sadzenia roślin oraz utrzymania terenów zielonych",
        "Planting and maintenance services of green areas",
    ),
    (
        "77311000",
        "Usługi utrzymania ogrodów ozdobnych i rekreacyjnych",
        "Maintenance services of ornamental and pleasure gardens",
    ),
    ("77312000", "Usługi usuwania chwastów", "Weed-clearance services"),
    ("77313000", "Usługi utrzymania parków", "Parks maintenance services"),
    ("77314000", "Usługi utrzymania terenów", "Grounds maintenance services"),
    ("77314100", "Usługi w zakresie trawników", "Grassing services"),
    ("77315000", "Usługi siewu", "Seeding services"),
    ("77320000", "Usługi utrzymania boisk sportowych", "Sports fields maintenance services"),
    ("77330000", "Usługi w zakresie wystawiania kwiatów", "Floral-display services"),
    ("77340000", "Przycinanie drzew i żywopłotów", "Tree pruning and hedge trimming"),
    ("77341000", "Przycinanie drzew", "Tree pruning"),
    ("77342000", "Przycinanie żywopłotów", "Hedge trimming"),
    # 79 — business services: marketing, translation, printing, security, events
    (
        "79000000",
        "Usługi biznesowe: prawnicze, marketingowe, konsultingowe, rekrutacji, drukowania "
        "i zabezpieczania",
        "Business services: law, marketing, consulting, recruitment, printing and security",
    ),
    (
        "79300000",
        "Badania rynkowe i ekonomiczne; ankietowanie i statystyka",
        "Market and economic research; polling and statistics",
    ),
    ("79340000", "Usługi reklamowe i marketingowe", "Advertising and marketing services"),
    ("79341000", "Usługi reklamowe", "Advertising services"),
    ("79342000", "Usługi marketingowe", "Marketing services"),
    ("79500000", "Usługi wsparcia biurowego", "Office-support services"),
    ("79530000", "Usługi w zakresie tłumaczeń pisemnych", "Translation services"),
    ("79540000", "Usługi w zakresie tłumaczeń ustnych", "Interpretation services"),
    ("79600000", "Usługi rekrutacyjne", "Recruitment services"),
    (
        "79700000",
        "Usługi detektywistyczne i ochroniarskie",
        "Investigation and security services",
    ),
    ("79710000", "Usługi ochroniarskie", "Security services"),
    ("79713000", "Usługi strażników", "Guard services"),
    ("79800000", "Usługi drukowania i powiązane", "Printing and related services"),
    ("79810000", "Usługi drukowania", "Printing services"),
    ("79820000", "Usługi związane z drukowaniem", "Services related to printing"),
    (
        "79950000",
        "Usługi w zakresie organizowania wystaw, targów i kongresów",
        "Exhibition, fair and congress organisation services",
    ),
    ("79951000", "Usługi w zakresie organizowania seminariów", "Seminar organisation services"),
    ("79952000", "Usługi w zakresie organizacji imprez", "Event services"),
    (
        "79952100",
        "Usługi w zakresie organizacji imprez kulturalnych",
        "Cultural event organisation services",
    ),
    ("79953000", "Usługi w zakresie organizacji festiwali", "Festival organisation services"),
    ("79954000", "Usługi w zakresie organizacji przyjęć", "Party organisation services"),
    (
        "79956000",
        "Usługi w zakresie organizacji targów i wystaw",
        "Fair and exhibition organisation services",
    ),
    ("79961000", "Usługi fotograficzne", "Photographic services"),
    # 80 — education and training
    ("80000000", "Usługi edukacyjne i szkoleniowe", "Education and training services"),
    ("80100000", "Usługi szkolnictwa podstawowego", "Primary education services"),
    ("80110000", "Usługi szkolnictwa przedszkolnego", "Pre-school education services"),
    ("80300000", "Usługi szkolnictwa wyższego", "Higher education services"),
    ("80340000", "Usługi szkolnictwa specjalnego", "Special education services"),
    ("80400000", "Usługi edukacji osób dorosłych oraz inne", "Adult and other education services"),
    ("80410000", "Różne usługi szkolnictwa", "Various school services"),
    ("80500000", "Usługi szkoleniowe", "Training services"),
    ("80510000", "Usługi szkolenia specjalistycznego", "Specialist training services"),
    ("80511000", "Usługi szkolenia personelu", "Staff training services"),
    ("80520000", "Ułatwienia szkoleniowe", "Training facilities"),
    ("80530000", "Usługi szkolenia zawodowego", "Vocational training services"),
    ("80550000", "Usługi szkolenia w zakresie bezpieczeństwa", "Safety training services"),
    (
        "80560000",
        "Usługi szkolenia w zakresie zdrowia i pierwszej pomocy",
        "Health and first-aid training services",
    ),
    (
        "80570000",
        "Usługi szkolenia w zakresie rozwoju osobistego",
        "Personal development training services",
    ),
    # 85 — health and social work (the social services of annex XIV, art. 361 PZP)
    (
        "85000000",
        "Usługi w zakresie zdrowia i opieki społecznej",
        "Health and social work services",
    ),
    ("85100000", "Usługi ochrony zdrowia", "Health services"),
    (
        "85300000",
        "Usługi w zakresie pracy socjalnej i podobne",
        "Social work and related services",
    ),
    ("85310000", "Usługi w zakresie pracy socjalnej", "Social work services"),
    (
        "85311000",
        "Usługi opieki społecznej z zakwaterowaniem",
        "Social work services with accommodation",
    ),
    ("85311100", "Usługi opieki społecznej dla osób starszych", "Welfare services for the elderly"),
    (
        "85311200",
        "Usługi opieki społecznej dla osób niepełnosprawnych",
        "Welfare services for the handicapped",
    ),
    (
        "85311300",
        "Usługi opieki społecznej dla dzieci i młodzieży",
        "Welfare services for children and young people",
    ),
    (
        "85312000",
        "Usługi opieki społecznej bez zakwaterowania",
        "Social work services without accommodation",
    ),
    ("85312100", "Usługi opieki dziennej", "Daycare services"),
    ("85312110", "Usługi opieki dziennej dla dzieci", "Child daycare services"),
    (
        "85312400",
        "Usługi opieki społecznej niedostępne w placówkach opiekuńczych",
        "Welfare services not delivered through residential institutions",
    ),
    ("85312500", "Usługi rehabilitacyjne", "Rehabilitation services"),
    ("85320000", "Usługi społeczne", "Social services"),
    # 90 — waste, street cleaning, cleaning of buildings
    (
        "90000000",
        "Usługi odbioru ścieków, usuwania odpadów, czyszczenia i ekologiczne",
        "Sewage, refuse, cleaning and environmental services",
    ),
    ("90500000", "Usługi związane z odpadami", "Refuse and waste related services"),
    ("90510000", "Usuwanie i obróbka odpadów", "Refuse disposal and treatment"),
    ("90511000", "Usługi wywozu odpadów", "Refuse collection services"),
    (
        "90600000",
        "Usługi sprzątania oraz usługi sanitarne w obszarach miejskich lub wiejskich oraz "
        "usługi powiązane",
        "Cleaning and sanitation services in urban or rural areas, and related services",
    ),
    (
        "90610000",
        "Usługi sprzątania i zamiatania ulic",
        "Street-cleaning and sweeping services",
    ),
    ("90611000", "Usługi sprzątania ulic", "Street-cleaning services"),
    ("90612000", "Usługi zamiatania ulic", "Street-sweeping services"),
    ("90620000", "Usługi odśnieżania", "Snow-clearing services"),
    ("90630000", "Usługi usuwania oblodzeń", "Ice-clearing services"),
    (
        "90900000",
        "Usługi w zakresie sprzątania i odkażania",
        "Cleaning and sanitation services",
    ),
    ("90910000", "Usługi sprzątania", "Cleaning services"),
    (
        "90911000",
        "Usługi sprzątania budynków mieszkalnych, budynków i czyszczenia okien",
        "Accommodation, building and window cleaning services",
    ),
    ("90911200", "Usługi sprzątania budynków", "Building-cleaning services"),
    ("90911300", "Usługi czyszczenia okien", "Window-cleaning services"),
    (
        "90919000",
        "Usługi sprzątania biur, szkół i czyszczenia urządzeń biurowych",
        "Office, school and office equipment cleaning services",
    ),
    ("90919200", "Usługi sprzątania biur", "Office cleaning services"),
    ("90919300", "Usługi sprzątania szkół", "School cleaning services"),
    # 92 — culture, recreation and sport
    (
        "92000000",
        "Usługi rekreacyjne, kulturalne i sportowe",
        "Recreational, cultural and sporting services",
    ),
    ("92300000", "Usługi rozrywkowe", "Entertainment services"),
    ("92312000", "Usługi artystyczne", "Artistic services"),
    ("92330000", "Usługi w zakresie terenów rekreacyjnych", "Recreational-area services"),
    (
        "92500000",
        "Usługi bibliotek, archiwów, muzeów i inne usługi kulturalne",
        "Library, archives, museums and other cultural services",
    ),
    ("92600000", "Usługi sportowe", "Sporting services"),
    ("92620000", "Usługi związane ze sportem", "Sport-related services"),
    # 98 — laundry and other community services
    (
        "98000000",
        "Inne usługi komunalne, socjalne i osobiste",
        "Other community, social and personal services",
    ),
    ("98300000", "Różne usługi", "Miscellaneous services"),
    (
        "98310000",
        "Usługi prania i czyszczenia na sucho",
        "Washing and dry-cleaning services",
    ),
    ("98311000", "Usługi odbioru prania", "Laundry-collection services"),
    ("98312000", "Usługi czyszczenia tekstyliów", "Textile-cleaning services"),
    ("98315000", "Usługi prasowania", "Pressing services"),
    ("98390000", "Inne usługi", "Other services"),
)


def nearest_ancestor(code: str, existing) -> str | None:
    """The closest code above ``code`` in the CPV tree that is in ``existing``.

    A partial list (this one, or a database before the full import) skips levels, so the parent
    is the nearest ancestor that exists, not always the code one level up.
    """
    candidate = parent_code(code)
    while candidate is not None:
        if candidate in existing:
            return candidate
        candidate = parent_code(candidate)
    return None
