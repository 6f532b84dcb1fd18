// A CloudFront Function (viewer request) for a batmi site in a private S3 bucket: CloudFront
// serves index.html only at the root by itself, so /news/deal/ and /en/ must be mapped to
// their index.html here. Associate it with the distribution's default behaviour.
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.split('/').pop().indexOf('.') === -1) {
    // /news/deal without the slash: redirect, so relative links resolve as batmi wrote them.
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: uri + '/' } },
    };
  }
  return request;
}

if (typeof module !== 'undefined') {
  module.exports = { handler: handler };
}
