// The SDK (packages/sdk, built with the DOM library for browsers too) names the DOM's
// BodyInit. The rest of the repository compiles without the DOM library, whose fetch
// types refuse Buffer bodies; Node's own fetch types (undici) have the same type, which
// is given its DOM name here. Without `import`/`export` this file declares globals.
type BodyInit = import('undici-types').BodyInit;
