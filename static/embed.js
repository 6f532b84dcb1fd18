// Click-to-load embeds: a video's player is made only when the reader presses its link, so
// a page with a video fetches nothing from the video's host until then. Without JavaScript
// the link opens the video on its own site.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element && event.target.closest('a[data-embed]');
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const frame = document.createElement('iframe');
  frame.src = link.dataset.embed;
  frame.title = link.dataset.embedTitle || '';
  frame.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
  frame.allowFullscreen = true;
  frame.className = 'embed-frame';
  link.replaceWith(frame);
  frame.focus();
});
