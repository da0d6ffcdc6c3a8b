// What to tell the user for each API problem code, in each language. Each says what to do next.
import type { ProblemCode } from '../../api/problem';

export type Lang = 'en' | 'bg' | 'ru';

export const PROBLEM_MESSAGES: Record<Lang, Record<ProblemCode, string>> = {
  en: {
    validation_failed: 'Some fields need attention. Check the highlighted fields and try again.',
    unauthorized: 'Your sign-in is no longer valid. Paste a new personal token to continue.',
    forbidden: 'Your role does not allow this. Ask your head of sales or an admin for access.',
    not_found: 'This record no longer exists or is not shared with you. Refresh and try again.',
    conflict: 'This record already exists. Open the existing one instead of creating a copy.',
    precondition_failed: 'Someone changed this record after you opened it. Review their changes, then save yours again.',
    precondition_required: 'The pane sent an update without a version. Reload the record and save again.',
    payload_too_large: 'That is too much for one request. Send fewer rows or a smaller file at a time.',
    rate_limited: 'Too many requests right now. Wait a moment; the pane retries on its own.',
    idempotency_key_reused: 'This change was already sent with different content. Reload and make the change again.',
    internal: 'Something went wrong on the server. Try again; if it keeps happening, send the request id to support.',
    network: 'The server cannot be reached. Check your connection; changes are kept and sent later.',
  },
  bg: {
    validation_failed: 'Някои полета изискват внимание. Проверете маркираните полета и опитайте отново.',
    unauthorized: 'Входът ви вече не е валиден. Поставете нов личен токен, за да продължите.',
    forbidden: 'Ролята ви не позволява това. Поискайте достъп от ръководителя продажби или администратор.',
    not_found: 'Този запис вече не съществува или не е споделен с вас. Опреснете и опитайте отново.',
    conflict: 'Такъв запис вече съществува. Отворете съществуващия, вместо да създавате копие.',
    precondition_failed: 'Някой е променил записа, след като сте го отворили. Прегледайте промените му и запишете своите отново.',
    precondition_required: 'Панелът изпрати промяна без версия. Заредете записа отново и запишете пак.',
    payload_too_large: 'Това е твърде много за една заявка. Изпращайте по-малко редове или по-малък файл наведнъж.',
    rate_limited: 'Твърде много заявки в момента. Изчакайте малко; панелът ще опита отново сам.',
    idempotency_key_reused: 'Тази промяна вече е изпратена с друго съдържание. Заредете отново и направете промяната пак.',
    internal: 'Нещо се обърка на сървъра. Опитайте отново; ако се повтаря, изпратете номера на заявката на поддръжката.',
    network: 'Сървърът е недостъпен. Проверете връзката си; промените се пазят и ще бъдат изпратени по-късно.',
  },
  ru: {
    validation_failed: 'Некоторые поля требуют внимания. Проверьте выделенные поля и попробуйте снова.',
    unauthorized: 'Ваш вход больше не действителен. Вставьте новый личный токен, чтобы продолжить.',
    forbidden: 'Ваша роль этого не позволяет. Запросите доступ у руководителя продаж или администратора.',
    not_found: 'Эта запись больше не существует или недоступна вам. Обновите и попробуйте снова.',
    conflict: 'Такая запись уже существует. Откройте существующую вместо создания копии.',
    precondition_failed: 'Кто-то изменил запись после того, как вы её открыли. Просмотрите изменения и сохраните свои снова.',
    precondition_required: 'Панель отправила изменение без версии. Загрузите запись заново и сохраните снова.',
    payload_too_large: 'Слишком много для одного запроса. Отправляйте меньше строк или файл поменьше за раз.',
    rate_limited: 'Сейчас слишком много запросов. Подождите немного; панель повторит попытку сама.',
    idempotency_key_reused: 'Это изменение уже отправлено с другим содержимым. Обновите и внесите изменение снова.',
    internal: 'На сервере что-то пошло не так. Повторите попытку; если ошибка повторяется, сообщите в поддержку номер запроса.',
    network: 'Сервер недоступен. Проверьте соединение; изменения сохранятся и будут отправлены позже.',
  },
};

/** Per-field messages by validation issue code (zod's codes); unknown codes show the server's text. */
export const FIELD_MESSAGES: Record<Lang, Record<string, string>> = {
  en: {
    required: 'This field is required.',
    invalid_type: 'Enter a value of the right kind.',
    too_small: 'This is too short or too small.',
    too_big: 'This is too long or too large.',
    invalid_format: 'Check the format.',
    invalid_email: 'Enter an email address like name@example.com.',
    invalid_phone: 'Enter a phone number with its country code, like +359 2 123 4567.',
    duplicate: 'This value is already used by another record.',
  },
  bg: {
    required: 'Полето е задължително.',
    invalid_type: 'Въведете стойност от правилния вид.',
    too_small: 'Стойността е твърде кратка или малка.',
    too_big: 'Стойността е твърде дълга или голяма.',
    invalid_format: 'Проверете формата.',
    invalid_email: 'Въведете имейл адрес, например name@example.com.',
    invalid_phone: 'Въведете телефон с кода на държавата, например +359 2 123 4567.',
    duplicate: 'Тази стойност вече се използва в друг запис.',
  },
  ru: {
    required: 'Это поле обязательно.',
    invalid_type: 'Введите значение подходящего вида.',
    too_small: 'Значение слишком короткое или маленькое.',
    too_big: 'Значение слишком длинное или большое.',
    invalid_format: 'Проверьте формат.',
    invalid_email: 'Введите адрес эл. почты, например name@example.com.',
    invalid_phone: 'Введите телефон с кодом страны, например +7 912 345-67-89.',
    duplicate: 'Это значение уже используется в другой записи.',
  },
};
