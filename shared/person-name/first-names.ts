/**
 * Given names, written by hand: common Bulgarian, Russian (with Tatar, Bashkir, Caucasian and
 * Bulgarian Turkish names people write in Cyrillic) and English ones. They only decide which word
 * of a two-word name is the given name ("Соколова Марина"), so a name missing here still works
 * through surname morphology. Latin spellings of the Cyrillic names are derived by transliteration.
 */

// prettier-ignore
export const CYRILLIC_FIRST_NAMES = `
Александр Алексей Анатолий Андрей Антон Аркадий Арсений Артём Артем Артур Богдан Борис Вадим Валентин Валерий Василий
Виктор Виталий Владимир Владислав Всеволод Вячеслав Гавриил Геннадий Георгий Герман Глеб Григорий Даниил Данила Денис
Дмитрий Евгений Егор Елисей Ефим Захар Иван Игнат Игорь Илья Иннокентий Иосиф Кирилл Клим Константин Лев Леонид
Макар Максим Марк Матвей Михаил Назар Никита Николай Олег Павел Пётр Петр Платон Прохор Роман Ростислав Руслан
Савелий Святослав Семён Семен Сергей Станислав Степан Тарас Тимофей Тимур Тихон Фёдор Федор Филипп Эдуард Эрик Юлиан
Юрий Яков Ярослав Эмиль Вениамин Лука Мирон Остап Родион Рафаэль Рафаил Ринат Марат Ильдар Ильнур Айдар Азат Альберт
Дамир Рамиль Рамис Рустам Рустем Радик Ришат Фарид Наиль Ильшат Динар Булат Ильяс Айрат Ренат Тагир Камиль Ильгиз
Шамиль Магомед Мурат Ахмед Хасан Али Рашид Тимерлан Заур Аслан Алан Арсен Артак Арам Армен Ашот Гарегин Карен Тигран
Нарек Самвел Ваган Гурген Давид Леван Гиви Нодар Зураб Мамука Вахтанг Реваз Бесик Фарход Рахим Бахтияр Ерлан Нурлан
Анна Алла Алевтина Александра Алёна Алена Алина Алиса Алла Анастасия Ангелина Антонина Валентина Валерия Варвара Вера
Вероника Виктория Галина Дарья Диана Ева Евгения Екатерина Елена Елизавета Жанна Зинаида Зоя Инна Ирина Карина Кира
Клавдия Ксения Лариса Лидия Лилия Любовь Людмила Маргарита Марина Мария Милана Надежда Наталья Наталия Нина Оксана
Ольга Полина Раиса Регина Светлана София Софья Стефания Таисия Тамара Татьяна Ульяна Эвелина Элеонора Эльвира Юлия
Яна Ярослава Василиса Есения Злата Майя Мила Нелли Олеся Снежана Станислава Таисья Лилиана Зарина Эльмира Гульнара
Гульнара Гузель Гульшат Динара Диляра Зульфия Лейсан Ляйсан Алсу Айгуль Резеда Ильсияр Венера Розалия Ралина Наиля
Альбина Рената Камила Асель Айгерим Гаяне Ануш Лусине Асмик Нино Тамуна Кетеван Мадина Фатима Зухра Заира Лейла
Георги Димитър Стоян Пламен Николай Атанас Валентин Десислава Жанета Севгюл Мирослава Красимир Даниела Йордан Ертан
Теодора Катя Илиан Боряна Ели Стефан Милена Иво Росен Анелия Надежда Цветан Милен Ралица Снежана Гергана Тодор Петър
Христо Любомир Цветомир Венелин Веселин Борислав Бойко Благой Благовест Божидар Васил Велизар Велин Веселин Владо
Добромир Драгомир Емил Живко Здравко Златко Иван Ивайло Ивелин Илия Калин Камен Кирил Косьо Кольо Крум Кристиян
Кристиан Лъчезар Любен Марин Мартин Методи Михаил Младен Найден Неделчо Никола Огнян Пенчо Първан Радослав Радостин
Райко Ангел Асен Антоан Бисер Богомил Валери Ганчо Генади Георгий Горан Григор Данаил Делян Деян Денислав Диян Добри
Евгени Живко Жеко Захари Ивилин Калоян Красен Кънчо Мариан Мирослав Момчил Найден Недялко Никифор Орлин Панайот Пейо
Петко Петьо Радко Радослав Румен Светлин Светослав Симеон Славей Славчо Спас Станимир Станислав Стефан Страхил Тихомир
Трайко Филип Христиан Цанко Цветелин Чавдар Юлиан Явор Янко Ясен Ангелина Антоанета Александра Бистра Благовеста
Биляна Бойка Борислава Валентина Ваня Велислава Венета Вера Весела Веселина Виктория Галя Гергана Даниела Дарина Деница
Десислава Диана Димитрина Добринка Донка Евгения Елена Елеонора Елисавета Елка Емилия Живка Здравка Зорница Иванка Ива
Ивана Ивелина Илиана Ирина Йорданка Калина Камелия Катерина Катя Кремена Кристина Лиляна Лили Люба Любка Людмила Магдалена
Мариана Мариела Марияна Маргарита Мария Милена Мирела Надя Невена Нели Николета Нина Павлина Петя Пламена Поля Радка
Радина Радослава Райна Ралица Росица Румяна Светла Светлана Силвия Симона Снежа Соня Станка Стела Стефка Таня Теменужка
Теодора Тодорка Цветелина Цветана Юлия Яна Янка Ясмина Анелия Ирена Кремена Мая Мила Надежда Нора Роси Сиана Силвия
Айше Фатме Емине Гюлтен Гюлай Севдие Мехмед Ахмед Хасан Хюсеин Юсуф Мустафа Исмаил Байрам Неджми Ерол Ердоган Февзи
Сали Шенол Айдън Бейхан Ширин Гюнай Джейлян Нурай Сейхан Седат Ерджан Орхан Осман Кемал Фикрет Хакан
`;

// prettier-ignore
export const LATIN_FIRST_NAMES = `
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark Donald
Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric
Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry
Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald
Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan
Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Oliver Harry Charlie Alfie Freddie Archie
Leo Oscar Theo Toby Owen Rhys Callum Connor Liam Declan Ciaran Niall Fergus Angus Alasdair Alistair Hamish Euan Graham
Gordon Malcolm Neil Stuart Ian Iain Colin Craig Ross Duncan Rory Jamie Martin Simon Tim Tom Tony Nick Rob Mike Dave
Steve Andy Ben Sam Dan Matt Chris Jim Bill Bob Ted Ed Will Alex Max Marcus Lucas Luke Rajesh Kyle Carlos Luis Miguel
Marco Luca Giovanni Pierre Jean Hans Klaus Stefan Lars Erik Sven Piotr Tomasz Pavel Jan Jiri Mehmet Ahmet Ali Omar
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley
Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy
Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine
Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea
Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia
Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis
Lori Sophie Amelia Isla Ava Mia Poppy Ella Lily Evie Harriet Eleanor Fiona Eilidh Morag Kirsty Catriona Siobhan Niamh
Aoife Ciara Orla Saoirse Bridget Imogen Jemma Gemma Lucy Chloe Zoe Holly Jade Kate Katie Claire Clare Jane Jo Joanne
Louise Nicola Rachael Rosie Ruby Scarlett Freya Dana Tracy Wendy Paula Yvonne Dawn Carly Lindsay Priya Anita Sunita
Fatima Aisha Giulia Chiara Francesca Ingrid Astrid Monika Agnieszka Katarzyna Eva
Nikolay Nikolai Sergey Sergei Dmitry Dmitri Alexey Alexei Yulia Julia Natalia Natalya Tatiana Tatyana Evgeny Evgeniy
Yuri Yury Yuriy Ilya Andrey Andrei Tsvetan Tsvetelina Georgi Dimitar Petar Hristo Ivaylo Yordan Desislava Mariya
`;
