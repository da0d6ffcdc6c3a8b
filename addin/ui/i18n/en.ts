// English: the reference dictionary. Every key here must exist in bg.ts and ru.ts (a test checks,
// and the Messages type makes a missing key a type error). {name} is replaced; plural entries
// pick a form with Intl.PluralRules on {count}.

export type PluralMessage = { one: string; few?: string; many?: string; other: string };
export type Message = string | PluralMessage;

export const en = {
  'app.name': 'Leadpane',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.dismiss': 'Dismiss',
  'common.signOut': 'Sign out',
  'common.requestId': 'Request id: {id}',
  'common.offline': 'You are offline. Changes stay on this device and are sent when the connection returns.',
  'common.queued': {
    one: '{count} change is waiting to be sent.',
    other: '{count} changes are waiting to be sent.',
  },
  'common.sendNow': 'Send now',
  'common.queueFailed': {
    one: '{count} change was refused by the server: {message}',
    other: '{count} changes were refused by the server. The last reason: {message}',
  },
  'host.browserMode': 'Browser mode: Office is not connected, so this pane works on a file you open here.',
  'host.officeFailed':
    'Office could not be reached ({reason}). The pane runs in browser mode; reload it from the Office ribbon to try again.',

  'signin.title': 'Sign in to Leadpane',
  'signin.intro': 'Paste your personal token. Create one in Leadpane under Settings → Tokens; it is shown only once.',
  'signin.tokenLabel': 'Personal token',
  'signin.tokenHint': 'Kept on this device, for your Office account only.',
  'signin.submit': 'Sign in',
  'signin.checking': 'Checking the token…',
  'signin.empty': 'Paste the token first.',
  'signin.rejected':
    'This token was not accepted: it may be mistyped, revoked or expired. Create a new token in Leadpane (Settings → Tokens) and paste it here.',
  'signin.signedInAs': 'Signed in as {name} · {org}',
  'signin.againTitle': 'Sign in again',
  'signin.againBody': 'Your token is no longer accepted. Paste a new one; what you typed in the pane is kept.',

  'excel.tabs': 'Sections',
  'excel.tab.import': 'Import',
  'excel.tab.pipeline': 'Pipeline',
  'excel.tab.reports': 'Reports',
  'excel.tab.today': 'Today',

  'import.title': 'Import rows as leads or deals',
  'import.empty': 'Select the rows to import with their header row (headers in any language), then press Read selection.',
  'import.readSelection': 'Read selection',
  'import.readSheet': 'Read the whole sheet',
  'import.reading': 'Reading the sheet…',
  'import.summary': 'Read {rows} rows × {columns} columns from {sheet}!{address}.',
  'import.nothing': 'There is nothing to import there. Select a block that starts with a header row.',
  'import.headers': 'Columns found',
  'import.next': 'Next: match these columns to Leadpane fields and send the rows.',

  'pipeline.title': 'No pipeline table in this workbook yet',
  'pipeline.empty':
    'Pull the pipeline to get your open deals as an Excel table on a new sheet. Edit it there; nothing is overwritten without asking.',
  'pipeline.pull': 'Pull pipeline',
  'pipeline.pulling': 'Pulling the pipeline…',
  'pipeline.done': 'The pipeline is on the sheet {sheet} ({rows} rows).',
  'pipeline.noRows': 'There are no open deals yet. Create deals from Outlook or import them from a sheet.',

  'reports.title': 'Weekly report',
  'reports.empty':
    'Pick a week and a section, then insert the report into a new sheet. Or type a formula in any cell, for example =LEADPANE.REPORT("weekly", "{week}", "won").',
  'reports.week': 'Week',
  'reports.weekHint': 'ISO week, for example {week}',
  'reports.section': 'Section',
  'reports.section.leads': 'New leads by source',
  'reports.section.pipeline': 'Pipeline movement',
  'reports.section.won': 'Won and lost',
  'reports.section.quota': 'Plan vs actual',
  'reports.section.forecast': 'Forecast',
  'reports.section.activity': 'Activity',
  'reports.section.overdue': 'Overdue follow-ups',
  'reports.section.complaints': 'Open complaints',
  'reports.insert': 'Insert into a new sheet',
  'reports.inserting': 'Writing the report…',
  'reports.done': 'The report is on the sheet {sheet}.',
  'reports.noRows': 'The report has no rows for that week.',

  'today.title': 'Nothing due today',
  'today.empty': 'Follow-ups you set in Outlook or here show up in this list on their due date, overdue ones first.',

  'workbook.hint': 'Outside Excel: open a workbook file to work on it here, then download the result.',
  'workbook.open': 'Open .xlsx or .csv',
  'workbook.opening': 'Opening {name}…',
  'workbook.opened': {
    one: '{name}: {count} sheet',
    other: '{name}: {count} sheets',
  },
  'workbook.download': 'Download .xlsx',
  'workbook.none': 'No workbook is open. Open a file first.',
  'workbook.failed': 'This file could not be read. Save it as .xlsx or as UTF-8 .csv and open it again.',

  'mail.none.title': 'Open an email',
  'mail.none.body': 'Select a message; Leadpane shows whether the sender is a known client.',
  'mail.drop.title': 'Use an .eml file as the open email',
  'mail.drop.body': 'Outside Outlook: drop an .eml file here, choose one, or paste the raw message text.',
  'mail.drop.choose': 'Choose .eml file',
  'mail.drop.paste': 'Raw message',
  'mail.drop.use': 'Use pasted message',
  'mail.drop.failed': 'This does not look like an email message. Save the message as .eml and try again.',
  'mail.from': 'From',
  'mail.subject': 'Subject',
  'mail.noSubject': '(no subject)',
  'mail.looking': 'Looking up the people in this thread…',

  'card.contact': 'Contact',
  'card.company': 'Company',
  'card.vip': 'VIP {tier}',
  'card.openDeals': 'Open deals',
  'card.noDeals': 'No open deals.',
  'card.lastActivity': 'Last contact',
  'card.noActivity': 'No activity yet.',
  'card.openCases': 'Open complaints and proposals',
  'card.noCases': 'None open.',
  'card.others': 'Also known in this thread',
  'card.companyOnly': '{company} is a client, but {email} is not saved as a contact yet.',
  'card.matchedOn': 'Matched on {keys}',

  'activity.email': 'Email',
  'activity.call': 'Call',
  'activity.meeting': 'Meeting',
  'activity.note': 'Note',

  'contact.new.title': 'New contact',
  'contact.new.body': '{email} is not in Leadpane yet. Check the fields and save the sender as a contact.',
  'contact.name': 'Full name',
  'contact.email': 'Email',
  'contact.phone': 'Phone',
  'contact.jobTitle': 'Job title',
  'contact.company': 'Company',
  'contact.save': 'Save contact',
  'contact.saving': 'Saving…',
  'contact.saved': 'Saved.',
  'contact.queued': 'Saved on this device; it will be sent when you are back online.',
  'contact.nameRequired': 'Enter the person’s name.',

  'fn.required': '{name} is required.',
  'fn.badDate': '{name} must be a date or text like 2026-07-01.',
  'fn.badKind': 'Unknown report "{kind}". Use "weekly".',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;
/** A dictionary: the same keys as English, each a string or the same kind of plural entry. */
export type Messages = { [K in MessageKey]: (typeof en)[K] extends string ? string : PluralMessage };
