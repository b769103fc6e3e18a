// Jest cannot load ESM-only packages through require(); Node 20.19+ can. @fastify/static (used by
// the Swagger UI) requires content-disposition@3, which is ESM-only, so tests get this CJS stand-in.
// It is never used in production, and the docs tests only fetch JSON and HTML.
function create(filename, options) {
  const type = (options && options.type) || 'attachment';
  return filename ? `${type}; filename="${String(filename).replace(/"/g, '\\"')}"` : type;
}
function parse(header) {
  const [type, ...rest] = String(header).split(';');
  const parameters = {};
  for (const part of rest) {
    const [k, v] = part.split('=');
    if (k && v) parameters[k.trim()] = v.trim().replace(/^"|"$/g, '');
  }
  return { type: type.trim().toLowerCase(), parameters };
}
module.exports = { create, parse, default: create };
