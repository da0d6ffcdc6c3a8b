/**
 * Cities and towns, written by hand for the product (names of places are facts). One name per
 * line group, multi-word names joined by "_" so a list stays one string per country. The mail
 * engine uses the list to tell a city from a street or a region and to put a city named in a
 * sentence ("из Казани") back in the nominative; villages and unlisted towns are still read from
 * "с.", "гр.", "г." and postcodes without it. Latin spellings of the Bulgarian names are derived by
 * the official transliteration, so only other spellings are written here.
 */

// prettier-ignore
export const BG_TOWNS = `
София Пловдив Варна Бургас Русе Стара_Загора Плевен Сливен Добрич Шумен Перник Хасково Ямбол Пазарджик Благоевград
Велико_Търново Враца Габрово Асеновград Видин Казанлък Кюстендил Кърджали Монтана Димитровград Търговище Ловеч Силистра
Разград Дупница Горна_Оряховица Смолян Петрич Сандански Самоков Севлиево Лом Карлово Велинград Нова_Загора Троян Айтос
Ботевград Гоце_Делчев Пещера Харманли Карнобат Свиленград Панагюрище Чирпан Попово Раковски Радомир Нови_Искър Козлодуй
Първомай Берковица Червен_бряг Поморие Ихтиман Раднево Провадия Несебър Банско Балчик Елин_Пелин Каварна Бяла Разлог
Трявна Созопол Царево Приморско Китен Обзор Свищов Никопол Белене Левски Павликени Полски_Тръмбеш Елена Лясковец
Стражица Златарица Дряново Тетевен Луковит Угърчин Априлци Летница Кнежа Долни_Дъбник Гулянци Искър Червен_бряг
Оряхово Мизия Бяла_Слатина Мездра Роман Криводол Вълчедръм Брусарци Белоградчик Кула Грамада Димово Брегово Чипровци
Вършец Бойчиновци Лом Годеч Сливница Костинброд Своге Драгоман Бов Правец Етрополе Златица Пирдоп Копривщица Стрелча
Клисура Сопот Хисаря Калофер Баня Брезово Стамболийски Перущица Кричим Съединение Садово Куклен Белово Септември
Ветрен Брацигово Ракитово Батак Сърница Костенец Долна_баня Момин_проход Белица Якоруда Симитли Кресна Мелник
Кочериново Рила Бобошево Бобов_дол Сапарева_баня Кърнаре Трън Брезник Земен Батановци Радомир Ковачевци Тутракан
Дулово Главиница Алфатар Исперих Кубрат Лозница Цар_Калоян Завет Ветово Сеново Две_могили Борово Ценово Сливо_поле
Омуртаг Антоново Опака Нови_пазар Каспичан Плиска Венец Смядово Велики_Преслав Върбица Риш Дългопол Бяла Суворово
Аксаково Игнатиево Девня Белослав Ветрино Вълчи_дол Генерал_Тошево Тервел Шабла Крушари Каолиново Хитрино Никола_Козлево
Средец Малко_Търново Камено Руен Сунгурларе Карнобат Българово Елхово Болярово Стралджа Твърдица Шивачево
Котел Кермен Гурково Мъглиж Павел_баня Шипка Николаево Гълъбово Чирпан Меричлери Симеоновград Любимец Маджарово
Ивайловград Тополовград Минерални_бани Стамболово Момчилград Крумовград Джебел Ардино Кирково Черноочене Златоград
Мадан Рудозем Девин Чепеларе Доспат Борино Баните Неделино Смилян Пампорово Хасково Кърджали Велинград Панагюрище
Ракитово Девня Вършец Кула Бургас Поморие Карлово Сопот
`;

// prettier-ignore
export const RU_CITIES = `
Москва Санкт-Петербург Новосибирск Екатеринбург Казань Нижний_Новгород Челябинск Красноярск Самара Уфа Ростов-на-Дону
Омск Краснодар Воронеж Пермь Волгоград Саратов Тюмень Тольятти Ижевск Барнаул Ульяновск Иркутск Хабаровск Ярославль
Владивосток Махачкала Томск Оренбург Кемерово Новокузнецк Рязань Набережные_Челны Астрахань Пенза Киров Липецк Балашиха
Чебоксары Калининград Тула Курск Севастополь Сочи Ставрополь Улан-Удэ Тверь Магнитогорск Иваново Брянск Белгород Сургут
Владимир Чита Архангельск Нижний_Тагил Калуга Симферополь Смоленск Волжский Якутск Саранск Череповец Курган Вологда Орёл
Орел Владикавказ Подольск Грозный Мурманск Тамбов Стерлитамак Петрозаводск Кострома Нижневартовск Новороссийск
Йошкар-Ола Химки Таганрог Комсомольск-на-Амуре Сыктывкар Нальчик Шахты Дзержинск Орск Братск Ангарск Энгельс
Благовещенск Великий_Новгород Королёв Королев Старый_Оскол Мытищи Псков Люберцы Южно-Сахалинск Бийск Прокопьевск
Армавир Балаково Абакан Рыбинск Северодвинск Норильск Петропавловск-Камчатский Уссурийск Волгодонск Сызрань
Новочеркасск Каменск-Уральский Златоуст Электросталь Альметьевск Салават Миасс Керчь Копейск Находка Пятигорск Хасавюрт
Рубцовск Березники Коломна Майкоп Одинцово Ковров Красногорск Нефтекамск Нефтеюганск Батайск Новочебоксарск Серпухов
Щёлково Щелково Дербент Кисловодск Новомосковск Черкесск Первоуральск Раменское Назрань Каспийск Обнинск Орехово-Зуево
Невинномысск Димитровград Новый_Уренгой Октябрьский Ессентуки Камышин Муром Долгопрудный Новошахтинск Жуковский
Северск Реутов Пушкино Артём Ноябрьск Евпатория Ачинск Бердск Елец Арзамас Сергиев_Посад Элиста Ногинск Новокуйбышевск
Железногорск Зеленодольск Тобольск Саров Междуреченск Воткинск Кропоткин Зеленоград Сарапул Соликамск Глазов Магадан
Великие_Луки Мичуринск Ханты-Мансийск Кыштым Выборг Геленджик Анапа Ейск Туапсе Кстово Чайковский Бугульма Лениногорск
Елабуга Нижнекамск Чистополь Азнакаево Буинск Альметьевск Тихвин Гатчина Всеволожск Кингисепп Сосновый_Бор Лодейное_Поле
Кириши Пушкин Колпино Петергоф Кронштадт Ломоносов Зеленогорск Сестрорецк Домодедово Чехов Клин Дмитров Истра Наро-Фоминск
Егорьевск Воскресенск Ступино Кашира Зарайск Луховицы Шатура Павловский_Посад Электроугли Фрязино Ивантеевка Лобня
Дубна Талдом Волоколамск Можайск Руза Звенигород Лыткарино Дзержинский Котельники Видное Троицк Щербинка Красноармейск
Сокол Великий_Устюг Тотьма Кириллов Белозерск Устюжна Бабаево Грязовец Никольск Котлас Северодвинск Онега
Сегежа Кондопога Костомукша Сортавала Ухта Воркута Печора Инта Усинск Салехард Надым Лабытнанги Губкинский Муравленко
Когалым Мегион Лангепас Пыть-Ях Урай Нягань Советский Белоярский Ишим Ялуторовск Заводоуковск Тара Исилькуль Калачинск
Искитим Куйбышев Барабинск Татарск Обь Кольцово Юрга Анжеро-Судженск Белово Ленинск-Кузнецкий Киселевск Мариинск
Канск Минусинск Лесосибирск Дивногорск Шарыпово Усолье-Сибирское Черемхово Шелехов Тулун Нижнеудинск Усть-Илимск
Усть-Кут Кызыл Горно-Алтайск Бийск Белокуриха Камень-на-Оби Заринск Новоалтайск Славгород Кемерово Шадринск Троицк
Озёрск Снежинск Сатка Аша Чебаркуль Катав-Ивановск Верхний_Уфалей Асбест Берёзовский Ревда Полевской Серов Краснотурьинск
Ирбит Алапаевск Сухой_Лог Кушва Качканар Лысьва Кунгур Чусовой Добрянка Краснокамск Кудымкар Верещагино Губаха Оса
Кумертау Ишимбай Белорецк Сибай Туймазы Белебей Мелеуз Учалы Бирск Бузулук Бугуруслан Новотроицк Гай Медногорск Сорочинск
Чапаевск Отрадный Жигулёвск Кинель Похвистнево Вольск Балашов Маркс Ртищево Аткарск Хвалынск Пугачёв Красноармейск
Камышин Михайловка Урюпинск Фролово Калач-на-Дону Котельниково Ахтубинск Знаменск Элиста Сальск Азов Белая_Калитва
Каменск-Шахтинский Миллерово Гуково Зверево Донецк Красный_Сулин Морозовск Тихорецк Кореновск Лабинск Белореченск
Славянск-на-Кубани Тимашёвск Тимашевск Крымск Апшеронск Горячий_Ключ Усть-Лабинск Гулькевичи Курганинск Абинск
Темрюк Приморско-Ахтарск Минеральные_Воды Буденновск Георгиевск Лермонтов Железноводск Изобильный Светлоград Михайловск
Прохладный Баксан Моздок Беслан Кизляр Буйнакск Избербаш Хасавюрт Гудермес Аргун Магас Карабулак Ялта Феодосия Алушта
Джанкой Судак Саки Бахчисарай Армянск Красноперекопск Лиски Россошь Борисоглебск Острогожск Павловск Богучар Старый_Оскол
Губкин Шебекино Алексеевка Валуйки Железногорск Курчатов Льгов Щигры Обоянь Ливны Мценск Новомосковск Донской Узловая
Щёкино Ефремов Алексин Богородицк Кимовск Людиново Киров Малоярославец Козельск Клинцы Новозыбков Дятьково Рославль
Вязьма Сафоново Ярцево Гагарин Десногорск Ржев Вышний_Волочёк Торжок Кимры Конаково Бологое Нелидово Осташков Боровичи
Старая_Русса Валдай Пестово Окуловка Чудово Великие_Луки Невель Остров Печоры Опочка Мурманск Апатиты Мончегорск Кандалакша
Североморск Кировск Оленегорск Полярные_Зори Ковдор Коряжма Вельск Новодвинск Мирный Каргополь Нарьян-Мар Переславль-Залесский
Ростов Углич Тутаев Данилов Гаврилов-Ям Кинешма Шуя Вичуга Фурманов Тейково Родники Кохма Юрьевец Буй Галич Нерехта
Шарья Мантурово Гусь-Хрустальный Александров Вязники Кольчугино Киржач Юрьев-Польский Суздаль Собинка Камешково Муром
Выкса Бор Павлово Балахна Богородск Городец Заволжье Семёнов Семенов Лысково Саров Кулебаки Шахунья Урень Котельнич
Слободской Кирово-Чепецк Вятские_Поляны Советск Омутнинск Йошкар-Ола Волжск Козьмодемьянск Канаш Алатырь Шумерля
Цивильск Рузаевка Ковылкино Кузнецк Каменка Сердобск Никольск Моршанск Рассказово Котовск Кирсанов Мичуринск Касимов
Скопин Сасово Ряжск Новомичуринск
`;

// prettier-ignore
export const OTHER_CITIES = `
London Manchester Birmingham Leeds Liverpool Bristol Sheffield Glasgow Edinburgh Cardiff Belfast Nottingham Leicester
Newcastle Southampton Brighton Oxford Cambridge York Bath Reading Coventry Salford Harrogate Aberdeen Dundee Inverness
Plymouth Exeter Norwich Derby Stoke-on-Trent Wolverhampton Sunderland Portsmouth Milton_Keynes Bradford Hull Preston
Bolton Swansea Newport Middlesbrough Luton Northampton Peterborough Ipswich Gloucester Cheltenham Chester Durham Lincoln
Wakefield Huddersfield Doncaster Warrington Stockport Oldham Blackpool Blackburn Bournemouth Poole Swindon Slough Watford
Guildford Canterbury Maidstone Crawley Basingstoke Winchester Salisbury Worcester Hereford Shrewsbury Telford Carlisle
Lancaster Stirling Perth Paisley Kilmarnock Derry Londonderry Lisburn Wrexham Bangor Newcastle_upon_Tyne Kingston_upon_Hull
Stratford-upon-Avon Newcastle-under-Lyme Southend-on-Sea Burton_upon_Trent Henley-on-Thames Gateshead Solihull Dudley Walsall
New_York Los_Angeles Chicago Houston Phoenix Philadelphia San_Antonio San_Diego Dallas San_Jose Austin Jacksonville
San_Francisco Columbus Fort_Worth Indianapolis Charlotte Seattle Denver Washington Boston El_Paso Nashville Detroit
Oklahoma_City Portland Las_Vegas Memphis Louisville Baltimore Milwaukee Albuquerque Tucson Fresno Sacramento Mesa
Kansas_City Atlanta Omaha Colorado_Springs Raleigh Miami Long_Beach Virginia_Beach Oakland Minneapolis Tulsa Tampa
Arlington New_Orleans Wichita Cleveland Bakersfield Aurora Anaheim Honolulu Santa_Ana Riverside Corpus_Christi Lexington
Pittsburgh Anchorage Stockton Cincinnati Saint_Paul Toledo Newark Greensboro Plano Henderson Lincoln Buffalo Fort_Wayne
Jersey_City Orlando St._Louis Saint_Louis Durham Irvine Madison Boise Richmond Salt_Lake_City Hartford Providence
Toronto Montreal Vancouver Calgary Ottawa Edmonton Sydney Melbourne Brisbane Perth Auckland Dublin Cork Galway Limerick
Berlin Hamburg Munich München Cologne Köln Frankfurt Stuttgart Düsseldorf Dortmund Essen Leipzig Bremen Dresden Hanover
Hannover Nuremberg Nürnberg Vienna Wien Graz Linz Salzburg Zurich Zürich Geneva Basel Bern Lausanne Paris Marseille Lyon
Toulouse Nice Nantes Strasbourg Montpellier Bordeaux Lille Milan Milano Rome Roma Naples Turin Torino Palermo Genoa Bologna
Florence Venice Verona Madrid Barcelona Valencia Seville Zaragoza Malaga Bilbao Lisbon Porto Amsterdam Rotterdam The_Hague
Utrecht Eindhoven Brussels Antwerp Ghent Liège Luxembourg Copenhagen Aarhus Stockholm Gothenburg Malmö Oslo Bergen
Helsinki Tampere Espoo Warsaw Kraków Krakow Łódź Wrocław Poznań Gdańsk Prague Brno Ostrava Bratislava Košice Budapest
Debrecen Bucharest Cluj-Napoca Timișoara Iași Constanța Brașov Athens Thessaloniki Patras Istanbul Ankara Izmir Antalya
Edirne Belgrade Novi_Sad Niš Skopje Bitola Ohrid Zagreb Split Rijeka Ljubljana Maribor Sarajevo Podgorica Tirana
Riga Tallinn Vilnius Kaunas Kyiv Kiev Kharkiv Odesa Odessa Lviv Dnipro Minsk Gomel Brest Grodno Chisinau Tbilisi Batumi
Yerevan Baku Almaty Astana Tashkent Bishkek Dubai Abu_Dhabi Doha Tel_Aviv Jerusalem Cairo Beijing Shanghai Shenzhen
Guangzhou Hong_Kong Singapore Tokyo Osaka Seoul Mumbai Delhi New_Delhi Bangalore Bengaluru Chennai Hyderabad
Moscow Saint_Petersburg St_Petersburg St._Petersburg Novosibirsk Yekaterinburg Ekaterinburg Kazan Nizhny_Novgorod
Chelyabinsk Krasnoyarsk Samara Ufa Rostov-on-Don Omsk Krasnodar Voronezh Perm Volgograd Saratov Tyumen Vladivostok
Khabarovsk Irkutsk Yaroslavl Tomsk Kaliningrad Sochi Tula Kursk Tver Ivanovo Vologda Murmansk Arkhangelsk
Лондон Манчестър Манчестер Бирмингам Ливърпул Ливерпуль Единбург Эдинбург Глазгоу Дъблин Дублин Берлин Мюнхен Хамбург
Гамбург Франкфурт Кьолн Кёльн Щутгарт Штутгарт Дюселдорф Дюссельдорф Лайпциг Лейпциг Дрезден Виена Вена Грац Залцбург
Зальцбург Цюрих Женева Базел Базель Берн Париж Лион Марсилия Марсель Ница Ницца Милано Милан Рим Неапол Неаполь Торино
Турин Венеция Флоренция Болоня Болонья Мадрид Барселона Валенсия Севиля Севилья Лисабон Лиссабон Порто Амстердам
Ротердам Роттердам Брюксел Брюссель Антверпен Люксембург Копенхаген Копенгаген Стокхолм Стокгольм Осло Хелзинки Хельсинки
Варшава Краков Вроцлав Гданск Гданьск Познан Познань Лодз Лодзь Прага Бърно Брно Острава Братислава Кошице Будапеща
Будапешт Дебрецен Букурещ Бухарест Клуж-Напока Тимишоара Яш Констанца Кюстенджа Брашов Атина Афины Солун Салоники
Истанбул Стамбул Анкара Измир Анталия Анталья Одрин Эдирне Белград Нови_Сад Ниш Скопие Скопье Битоля Охрид Загреб Сплит
Любляна Сараево Подгорица Тирана Рига Талин Таллин Вилнюс Каунас Киев Харков Харьков Одеса Одесса Лвов Львов Днепър
Днепр Минск Гомел Гомель Брест Гродно Кишинев Кишинёв Тбилиси Батуми Ереван Баку Алмати Алматы Астана Ташкент Бишкек
Душанбе Ашхабад Дубай Абу_Даби Доха Тел_Авив Йерусалим Иерусалим Кайро Каир Пекин Шанхай Токио Сеул Сингапур
Ню_Йорк Нью-Йорк Чикаго Лос_Анджелис Лос-Анджелес Торонто Монреал Монреаль
`;

/** Latin spellings of Bulgarian towns that differ from the official transliteration. */
// prettier-ignore
export const BG_LATIN_VARIANTS = `
Veliko_Turnovo Tarnovo Plovdiv Sofia Burgas Bourgas Rousse Ruse Pleven Varna Stara_Zagora Haskovo Khaskovo Gabrovo
Pazardjik Pazardzhik Kardjali Kardzhali Kyustendil Kustendil Dupnitsa Dupnica Smolian Smolyan Nessebar Nesebar Nessebur
Sunny_Beach Sozopol Bansko Borovets Pamporovo Harmanli Svilengrad Yambol Sliven Dobrich Shumen Razgrad Silistra Vidin
Montana Vratsa Lovech Targovishte Turgovishte Blagoevgrad Pernik Kazanlak Kazanluk Asenovgrad Karlovo Samokov Petrich
Sandanski Gorna_Oryahovitsa Gorna_Oriahovitsa Botevgrad Aytos Aitos Pomorie Balchik Kavarna Tryavna Troyan Sevlievo
Svishtov Velingrad Panagyurishte Dimitrovgrad Nova_Zagora Karnobat Chirpan Lom Kozloduy Razlog Gotse_Delchev
`;
