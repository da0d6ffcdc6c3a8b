/**
 * The words the engine recognises: legal forms, job-title words, closings, address markers and
 * form labels in English, Bulgarian and Russian. General vocabulary of business mail, not fitted
 * to any test file.
 */

/** Legal forms kept as part of a company name. Matched as whole words. */
export const LEGAL_FORM =
  /(?:^|[\s,"'„“«(])(?:ЕООД|ООД|ЕАД|АД|ЕТ|КД|КДА|СД|ООО|ОАО|ЗАО|ПАО|НАО|АО|ИП|ГК|НПО|ФГУП|ГУП|МУП|АНО|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|Inc\.?|Incorporated|GmbH|AG|S\.?A\.?|S\.?r\.?l\.?|SRL|B\.?V\.?|N\.?V\.?|PLC|plc|Corp\.?|Corporation|Co\.|Company|Pty|OOD|EOOD|EAD|AB|Oy|A\/S|ApS|SE|KG|Sp\. z o\.o\.|s\.r\.o\.|d\.o\.o\.)(?=$|[\s,.;:"'“”»)])/u;

/** Words that name an organisation without a legal form. */
export const ORG_WORD =
  /(?:^|\s)(?:Group|Holding|Holdings|Bank|Banka|Capital|Partners|Associates|Consulting|Solutions|Systems|Technologies|Technology|Software|Services|International|Industries|Energy|University|Institute|College|School|Department|Agency|Foundation|Association|Ministry|Council|Commission|Authority|Laboratory|Laboratories|Clinic|Hospital|Hotel|Студио|Група|Холдинг|Банк|Университет|Институт|Агенция|Фондация|Асоциация|Министерство|Община|Компания|Группа|Холдинг|Банк|Университет|Институт|Агентство|Фонд|Ассоциация|Министерство|Завод|Комбинат|Центр|Център)(?=$|[\s,.])/iu;

/** Words that make a line a job title. */
export const TITLE_WORD =
  /(?:^|[\s,/(-])(?:CEO|CFO|CTO|COO|CIO|CMO|VP|SVP|EVP|GM|Chief|President|Vice|Director|Manager|Head|Lead|Leader|Senior|Sr\.|Junior|Jr\.|Principal|Partner|Owner|Founder|Co-founder|Chairman|Chair|Officer|Executive|Engineer|Developer|Architect|Analyst|Specialist|Consultant|Advisor|Adviser|Counsel|Attorney|Lawyer|Accountant|Assistant|Associate|Coordinator|Administrator|Representative|Agent|Supervisor|Superintendent|Trader|Scheduler|Economist|Professor|Lecturer|Researcher|Scientist|Designer|Editor|Secretary|Treasurer|Controller|Auditor|Recruiter|Sales|Marketing|Procurement|Purchasing|Buyer|Logistics|Operations|Управител|Мениджър|Директор|Изпълнителен|Търговски|Търговец|Ръководител|Началник|Специалист|Консултант|Експерт|Инженер|Счетоводител|Главен|Старши|Младши|Представител|Продажби|Маркетинг|Отдел|Организатор|Координатор|Асистент|Юрисконсулт|Адвокат|Собственик|Основател|Председател|Секретар|Генеральный|Коммерческий|Технический|Финансовый|Исполнительный|Менеджер|Руководитель|Начальник|Заместитель|Главный|Ведущий|Старший|Специалист|Инженер|Бухгалтер|Юрист|Консультант|Эксперт|Президент|Председатель|Владелец|Основатель|Помощник|Секретарь|Отдела|Продаж|Закупок|Маркетинга)(?=$|[\s,./)-])/iu;

/** A closing ("Best regards,") that opens the signature block, in English, Bulgarian and Russian (and a few more). */
export const CLOSING =
  /^\s*(?:(?:best|kind|warm|warmest|many|with|all the)?\s*(?:regards|wishes|thanks|greetings|best)|best|thanks(?: (?:again|a lot|in advance|so much|and regards))?|thank you(?: (?:very much|again|in advance))?|many thanks|cheers|take care|talk soon|sincerely(?: yours)?|yours(?: sincerely| truly| faithfully)?|respectfully|rgds|br|mfg|mit freundlichen grüßen|viele grüße|cordialement|saluti|cordiali saluti|un saluto|saludos|atentamente|met vriendelijke groet(?:en)?|pozdrawiam|hälsningar|med vennlig hilsen|ystävällisin terveisin|с уважение|с поздрав|с поздрави|поздрави|поздрав|сърдечни поздрави|най-сърдечни поздрави|с най-добри пожелания|поздрави и хубав ден|благодаря(?: ви| предварително| за вниманието)?|с благодарност|хубав ден|приятен ден|лек ден|успешен ден|хубава вечер|всичко хубаво|всичко най-хубаво|до скоро|с уважением|с наилучшими пожеланиями|с пожеланиями|с уважением и наилучшими пожеланиями|всего (?:доброго|хорошего|наилучшего)|хорошего дня|удачного дня|спасибо(?: заранее)?|заранее (?:спасибо|благодарю)|благодарю(?: за внимание)?|с благодарностью|до свидания|до встречи)\s*[,.!]*\s*$/iu;

/**
 * True for a closing line, also a bilingual one ("Поздрави / Best regards,").
 * @example isClosing('С уважением / Best regards,') // true
 */
export function isClosing(line: string): boolean {
  if (CLOSING.test(line)) return true;
  const parts = line.split(/\s+[/|]\s+/);
  return parts.length > 1 && parts.every((p) => CLOSING.test(p));
}

/**
 * Boilerplate at the foot of a signature: confidentiality notices, opt-out lines, company
 * registration notes. It belongs to the signature, never to the message or the lead's fields.
 */
export const FOOTER =
  /(?:confidential|privileged|intended (?:only )?(?:solely )?for the (?:use|addressee)|intended recipient|received this (?:e-?mail|message|communication) in error|disclaimer|unsubscribe|opt[- ]out|no longer wish to receive|remove you from (?:our|this) (?:list|mailing)|registered (?:in|office)|company (?:no\.?|number|reg)|reg(?:istered|\.)? (?:no\.?|number)|please consider the environment|поверителн|конфиденциальн|предназначен[оаи]? (?:единствено|само|исключительно)|получили (?:това|настоящото|это|данное) (?:съобщение|писмо|сообщение) по (?:грешка|ошибке)|не желаете да получавате|не искате да получавате|отписване|отпишете се|не хотите получать|отписаться|отказаться от рассылки|вы получили это письмо, так как|помислете за околната среда|подумайте об окружающей среде)/iu;

/** A line that states company identifiers: EIK, BULSTAT, VAT, ИНН, КПП, ОГРН, company numbers. */
export const ID_LINE =
  /(?:ЕИК|EIK|БУЛСТАТ|BULSTAT|UIC|ДДС|ЗДДС|VAT|ИНН|КПП|ОГРН|ОКПО|ОКВЭД|БИК|Р\/с|р\/с|к\/с|IBAN|BIC|SWIFT|company no)/iu;

/** Address markers: streets, buildings, postal codes. */
export const ADDRESS_WORD =
  /(?:^|[\s,(])(?:ул\.|ул |улица|бул\.|булевард|бульвар|пл\.|площад|площадь|ж\.к\.|жк |кв\.|к-с|бл\.|вх\.|ет\.|ап\.|офис|пр-т|пр\.|проспект|пер\.|переулок|ш\.|шоссе|наб\.|набережная|д\.\s?\d|дом\s\d|стр\.|корп\.|оф\.|(?:гр|г|с|п)\.(?=\s\p{Lu})|обл\.|област|область|район|р-н|street|st\.|avenue|ave\.?|road|rd\.|unit|boulevard|blvd\.?|lane|drive|dr\.|suite|ste\.|floor|fl\.|room|building|bldg\.?|p\.?o\.? box|square|sq\.|plaza|highway|parkway)(?=$|[\s,.\d])/iu;
/** "Houston, TX 77002", "1000 София", "119991, Москва", "Sofia 1000". */
export const POSTAL =
  /(?:\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s+\d{5}(?:-\d{4})?\b|\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,?\s+[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?\b|(?:^|[\s,])\d{4}\s+\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+\s+\d{4}(?:$|[\s,])|(?:^|[\s,])\d{6},?\s+(?:г\.\s?)?\p{Lu}\p{Ll}+|\b[A-Z][a-z]+\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b)/u;

/** Web-form field labels. */
export const FORM_LABELS: Record<string, RegExp> = {
  name: /^(?:name|full name|your name|contact name|contact person|first and last name|име|имена|име и фамилия|вашето име|лице за контакт|имя|ваше имя|имя и фамилия|фио|ф\.и\.о\.|контактное лицо|автор|отправитель)$/iu,
  firstName: /^(?:first name|given name|собствено име|име|имя)$/iu,
  lastName: /^(?:last name|surname|family name|фамилия)$/iu,
  phone:
    /^(?:phone|phone number|telephone|tel|mobile|mobile phone|gsm|телефон|тел|мобилен|мобилен телефон|телефон за връзка|номер на телефон|мобильный|мобильный телефон|контактный телефон|номер телефона)$/iu,
  email:
    /^(?:e-?mail|email address|e-?mail address|your email|имейл|и-мейл|е-поща|ел\. поща|електронна поща|емайл|почта|эл\. почта|электронная почта|e-mail адрес|адрес электронной почты|e-?mail автора|e-?mail отправителя|ваш e-?mail)$/iu,
  company:
    /^(?:company|company name|organisation|organization|business|фирма|компания|организация|име на фирма|наименование|название компании|организация \/ компания)$/iu,
  title: /^(?:title|job title|position|role|длъжност|позиция|должность)$/iu,
  website: /^(?:website|web site|url|site|уебсайт|сайт|интернет страница)$/iu,
  city: /^(?:city|town|град|населено място|город)$/iu,
  address: /^(?:address|адрес|адрес за кореспонденция|почтовый адрес)$/iu,
  eik: /^(?:еик|еик\/булстат|булстат|eik|uic|bulstat|инн)$/iu,
  vat: /^(?:vat|vat number|vat no|ддс|ддс №|ин по ддс|идентификационен номер по ддс)$/iu,
  message:
    /^(?:message|comment|comments|inquiry|enquiry|your message|details|съобщение|коментар|запитване|въпрос|сообщение|комментарий|вопрос|текст сообщения|потребность|описание|задача)$/iu,
};

/** Words that make a form label one field or another, when it is not one of the labels above. */
const FORM_KEYWORDS: [string, RegExp][] = [
  [
    'company',
    /(?:фирм|компан|company|organi[sz]ation|организац|наименование|business name|employer|работодател|юридическо лице|юр\. лицо)/iu,
  ],
  ['eik', /(?:^|\s)(?:еик|булстат|eik|uic|bulstat|инн)(?:$|\s)/iu],
  ['vat', /(?:ддс|vat|ндс номер)/iu],
  ['email', /(?:e-?mail|имейл|и-мейл|поща|почта)/iu],
  ['phone', /(?:телефон|тел\.|phone|mobile|gsm|моб|whatsapp|viber|contact number|номер за връзка)/iu],
  ['title', /(?:длъжност|позиция|position|job title|должность|role)/iu],
  ['website', /(?:website|web site|уебсайт|сайт|url)/iu],
  ['city', /(?:^|\s)(?:град|city|town|населено място|город|населенный пункт|locality)(?:$|\s)/iu],
  ['address', /(?:адрес|address)/iu],
  ['lastName', /(?:last name|surname|family name|фамилия)/iu],
  ['firstName', /(?:first name|given name|собствено име)/iu],
  [
    'name',
    /(?:(?:^|\s)(?:име|имена|name|фио|имя|автор|клиент|customer|client|заявител|подател|заказчик|покупатель|купувач)(?:$|\s)|лице за контакт|контактно лице|contact person|контактное лицо)/iu,
  ],
  [
    'message',
    /(?:съобщение|message|коментар|comment|запитване|enquiry|inquiry|въпрос|question|сообщение|комментарий|вопрос|текст|описание|потребност|details|бележк)/iu,
  ],
];

/**
 * The lead field a web-form label names ("Име и фамилия", "Телефон за контакт", "E-mail автора"),
 * or null. Required-field marks and notes in brackets are ignored; a delivery address or city is
 * not the person's.
 * @example formField('Телефон за контакт *') // 'phone'
 */
export function formField(label: string): string | null {
  const known = FIELD_OF.get(label);
  if (known !== undefined) return known;
  const key = fieldOf(label);
  // labels repeat from mail to mail ("Tel", "Subject", "Име"): a bounded memo keeps readForm cheap
  if (FIELD_OF.size > 4096) FIELD_OF.clear();
  FIELD_OF.set(label, key);
  return key;
}

const FIELD_OF = new Map<string, string | null>();

function fieldOf(label: string): string | null {
  const l = label
    .replace(/\([^)]*\)|\*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (!l) return null;
  for (const [key, re] of Object.entries(FORM_LABELS)) if (re.test(l)) return key;
  if (
    /(?:доставк|delivery|shipping|обект|site|отгрузк|продукт|product|товар|файл|file|потребител|user|проект|project|модел|model|марка|brand)/iu.test(
      l,
    ) ||
    l.split(' ').length > 5
  )
    return null;
  for (const [key, re] of FORM_KEYWORDS) if (re.test(l)) return key;
  return null;
}
