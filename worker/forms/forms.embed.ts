import type { FormLang } from '../../shared/schemas';
import { t } from './forms.i18n';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** A JSON string literal that is safe inside <script> (no "</script>", no line separators). */
const js = (s: string) =>
  JSON.stringify(s)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/**
 * The snippet a website pastes: a plain HTML form that posts to the API on its own (the
 * <noscript> field asks for an HTML answer page), enhanced by a small inline script that posts
 * JSON with fetch, keeps one clientToken per submission (so a retry never makes a second lead)
 * and shows the answer's message in place. No outside scripts, styles or fonts.
 */
export function embedSnippet(action: string, formKey: string, lang: FormLang): string {
  const id = `lp-form-${formKey}`;
  const field = (name: 'name' | 'phone' | 'email' | 'company', type: string, required: boolean, extra: string) =>
    `  <p><label>${esc(t(name, lang))}${required ? ' *' : ''}<br><input name="${name}" type="${type}"${required ? ' required' : ''} ${extra}></label></p>`;
  return `<form id="${esc(id)}" class="leadpane-form" action="${esc(action)}" method="post" accept-charset="utf-8" lang="${lang}">
${field('name', 'text', true, 'maxlength="200" autocomplete="name"')}
${field('phone', 'tel', true, 'maxlength="40" autocomplete="tel"')}
${field('email', 'email', false, 'maxlength="254" autocomplete="email"')}
${field('company', 'text', false, 'maxlength="200" autocomplete="organization"')}
  <p><label>${esc(t('message', lang))}<br><textarea name="message" maxlength="5000" rows="4"></textarea></label></p>
  <div style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden" aria-hidden="true"><label>Website <input name="website_url" type="text" tabindex="-1" autocomplete="off"></label></div>
  <input type="hidden" name="lang" value="${lang}">
  <input type="hidden" name="clientToken" value="">
  <noscript><input type="hidden" name="respond" value="html"></noscript>
  <p><button type="submit">${esc(t('send', lang))}</button></p>
  <p class="leadpane-form-message" role="status" aria-live="polite"></p>
</form>
<script>
(function () {
  var f = document.getElementById(${js(id)});
  if (!f || !window.fetch || !window.FormData) return;
  var out = f.querySelector('.leadpane-form-message');
  var button = f.querySelector('button');
  var token = f.elements.clientToken;
  function fresh() { return window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2); }
  token.value = fresh();
  f.addEventListener('submit', function (e) {
    e.preventDefault();
    var data = {};
    new FormData(f).forEach(function (v, k) { data[k] = String(v); });
    button.disabled = true;
    fetch(f.action, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(data) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, b: b || {} }; }); })
      .then(function (x) {
        if (x.ok) { out.textContent = x.b.message; f.reset(); token.value = fresh(); }
        else { out.textContent = (x.b.errors && x.b.errors[0] && x.b.errors[0].message) || x.b.detail || ${js(t('failed', lang))}; }
      }, function () { out.textContent = ${js(t('failed', lang))}; })
      .then(function () { button.disabled = false; });
  });
})();
</script>
`;
}

/** The page a browser without JavaScript lands on after posting the form. */
export function answerPage(message: string, lang: FormLang, back: string | null): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(message)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<p>${esc(message)}</p>${back ? `\n<p><a href="${esc(back)}">${esc(t('back', lang))}</a></p>` : ''}
</body></html>
`;
}
