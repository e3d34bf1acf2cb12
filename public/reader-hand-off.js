// The OpenID Connect popup's last page (src/http/readers/sign-in-pages.ts renderHandOff): hands the
// sign-in's outcome to the widget that opened the popup, only at the origin the flow started from, and
// closes. The data comes from a JSON element the server escaped; this script is the page's only one.
(function () {
  var el = document.getElementById('rd-hand-off');
  if (!el) return;
  var data;
  try {
    data = JSON.parse(el.textContent || '');
  } catch {
    return;
  }
  if (!data || typeof data.targetOrigin !== 'string' || !window.opener) return;
  window.opener.postMessage(data.message, data.targetOrigin);
  window.close();
})();
