import type { FormLang } from '../../shared/schemas';

/** What a visitor of the website reads: answers and the embedded form's labels, in three languages. */
export const FORM_TEXT = {
  thanks: {
    en: 'Thank you! We will contact you soon.',
    bg: 'Благодарим ви! Ще се свържем с вас скоро.',
    ru: 'Спасибо! Мы скоро свяжемся с вами.',
  },
  invalid: {
    en: 'Please check the highlighted fields.',
    bg: 'Моля, проверете отбелязаните полета.',
    ru: 'Пожалуйста, проверьте отмеченные поля.',
  },
  name_required: { en: 'Please enter your name.', bg: 'Моля, въведете името си.', ru: 'Пожалуйста, укажите ваше имя.' },
  phone_required: {
    en: 'Please enter your phone number.',
    bg: 'Моля, въведете телефонен номер.',
    ru: 'Пожалуйста, укажите номер телефона.',
  },
  phone_invalid: {
    en: 'This phone number does not look right.',
    bg: 'Този телефонен номер изглежда неправилен.',
    ru: 'Этот номер телефона выглядит неверным.',
  },
  email_invalid: {
    en: 'This email address does not look right.',
    bg: 'Този имейл адрес изглежда неправилен.',
    ru: 'Этот адрес электронной почты выглядит неверным.',
  },
  too_long: { en: 'This is too long.', bg: 'Текстът е твърде дълъг.', ru: 'Текст слишком длинный.' },
  too_large: {
    en: 'The message is too long to send.',
    bg: 'Съобщението е твърде дълго, за да бъде изпратено.',
    ru: 'Сообщение слишком длинное для отправки.',
  },
  rate_limited: {
    en: 'Too many requests. Please try again in a minute.',
    bg: 'Твърде много заявки. Моля, опитайте отново след минута.',
    ru: 'Слишком много запросов. Пожалуйста, попробуйте снова через минуту.',
  },
  not_found: {
    en: 'This form does not exist or is closed.',
    bg: 'Този формуляр не съществува или е затворен.',
    ru: 'Эта форма не существует или закрыта.',
  },
  bad_origin: {
    en: 'This form cannot be sent from this website.',
    bg: 'Този формуляр не може да бъде изпратен от този сайт.',
    ru: 'Эту форму нельзя отправить с этого сайта.',
  },
  bad_type: {
    en: 'The form was sent in a format we do not read.',
    bg: 'Формулярът е изпратен във формат, който не поддържаме.',
    ru: 'Форма отправлена в неподдерживаемом формате.',
  },
  failed: {
    en: 'Sending failed. Please try again.',
    bg: 'Изпращането не успя. Моля, опитайте отново.',
    ru: 'Не удалось отправить. Пожалуйста, попробуйте снова.',
  },
  back: { en: 'Back', bg: 'Назад', ru: 'Назад' },
  name: { en: 'Name', bg: 'Име', ru: 'Имя' },
  phone: { en: 'Phone', bg: 'Телефон', ru: 'Телефон' },
  email: { en: 'Email', bg: 'Имейл', ru: 'Эл. почта' },
  company: { en: 'Company', bg: 'Фирма', ru: 'Компания' },
  message: { en: 'Message', bg: 'Съобщение', ru: 'Сообщение' },
  send: { en: 'Send', bg: 'Изпрати', ru: 'Отправить' },
} satisfies Record<string, Record<FormLang, string>>;

export type FormTextKey = keyof typeof FORM_TEXT;

export const t = (key: FormTextKey, lang: FormLang) => FORM_TEXT[key][lang];

const LANGS: FormLang[] = ['bg', 'ru', 'en'];

/** The language of an answer: an explicit `lang` first, then Accept-Language by weight, else English. */
export function pickLang(explicit: string | null | undefined, acceptLanguage: string | null | undefined): FormLang {
  const direct = explicit?.trim().toLowerCase().slice(0, 2);
  if (direct && (LANGS as string[]).includes(direct)) return direct as FormLang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((x) => /^\s*q=([\d.]+)/.exec(x)?.[1]).find(Boolean);
      return { lang: (tag ?? '').trim().toLowerCase().slice(0, 2), q: q ? Number(q) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) if ((LANGS as string[]).includes(r.lang)) return r.lang as FormLang;
  return 'en';
}
