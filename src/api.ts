// The chat API, declared once. infra/ derives routes, functions and grants from it; the emulator runs
// the same entries with the same environment names. Every chat action (protocol.ts) is its own
// two-way route and function, so each gets only the table access and @connections methods it uses.
import type { ApiDeclaration, FunctionDeclaration, TableAccess } from './api-declaration.ts'

const table = { from: 'tableName', table: 'chat' } as const
const callbackUrl = { from: 'callbackUrl' } as const

/**
 * A chat action's function. `posts` when it fans out through `@connections`; a function that posts
 * also needs 'query' and 'write': a post that finds its peer gone removes that connection's items.
 */
const action = (
  entry: string,
  access: readonly TableAccess[],
  options: { posts?: boolean; memoryMb?: number; hotPath?: boolean } = {},
): FunctionDeclaration => ({
  entry: `src/handlers/${entry}.ts`,
  memoryMb: options.memoryMb ?? 512,
  timeoutSeconds: 15,
  environment: options.posts ? { TABLE_NAME: table, CALLBACK_URL: callbackUrl } : { TABLE_NAME: table },
  tables: { chat: access },
  ...(options.posts ? { manageConnections: ['POST'] as const } : {}),
  ...(options.hotPath ? { hotPath: true } : {}),
})

export const api = {
  name: 'dynamowave-chat',
  routeSelectionExpression: '$request.body.action',
  routes: [
    { routeKey: '$connect', function: 'connect' },
    { routeKey: '$disconnect', function: 'disconnect' },
    { routeKey: '$default', function: 'default', twoWay: true },
    { routeKey: 'sendmessage', function: 'sendmessage', twoWay: true },
    { routeKey: 'joinroom', function: 'joinroom', twoWay: true },
    { routeKey: 'leaveroom', function: 'leaveroom', twoWay: true },
    { routeKey: 'listrooms', function: 'listrooms', twoWay: true },
    { routeKey: 'history', function: 'history', twoWay: true },
    { routeKey: 'editmessage', function: 'editmessage', twoWay: true },
    { routeKey: 'deletemessage', function: 'deletemessage', twoWay: true },
    { routeKey: 'typing', function: 'typing', twoWay: true },
    { routeKey: 'opendirect', function: 'opendirect', twoWay: true },
    { routeKey: 'heartbeat', function: 'heartbeat', twoWay: true },
  ],
  // Browsers cannot set headers on a WebSocket: the Cognito token travels as `?token=` (design.md §6).
  authorizer: { function: 'authorize', identitySource: ['route.request.querystring.token'] },
  functions: {
    authorize: {
      entry: 'src/handlers/authorize.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TOKEN_ISSUER: { from: 'userPoolIssuer' }, TOKEN_CLIENT_ID: { from: 'userPoolClientId' } },
      hotPath: true,
    },
    connect: {
      entry: 'src/handlers/connect.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TABLE_NAME: table },
      tables: { chat: ['write'] },
      hotPath: true,
    },
    // Leaving rooms tells them (presence), and a room item left behind is read back.
    disconnect: {
      entry: 'src/handlers/disconnect.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TABLE_NAME: table, CALLBACK_URL: callbackUrl },
      tables: { chat: ['query', 'write'] },
      manageConnections: ['POST'],
    },
    default: {
      entry: 'src/handlers/default.ts',
      memoryMb: 256,
      timeoutSeconds: 5,
      environment: {},
    },
    sendmessage: action('sendmessage', ['read', 'query', 'write'], { posts: true, memoryMb: 1024, hotPath: true }),
    joinroom: action('joinroom', ['read', 'query', 'write'], { posts: true }),
    leaveroom: action('leaveroom', ['query', 'write'], { posts: true }),
    listrooms: action('listrooms', ['read', 'query'], { memoryMb: 256 }),
    history: action('history', ['read', 'query'], { memoryMb: 512 }),
    editmessage: action('editmessage', ['read', 'query', 'write'], { posts: true }),
    deletemessage: action('deletemessage', ['read', 'query', 'write'], { posts: true }),
    // Throttled in memory, never stored: reads membership, posts to the others ('write' is for
    // removing a peer found gone).
    typing: action('typing', ['read', 'query', 'write'], { posts: true }),
    opendirect: action('opendirect', ['read'], { memoryMb: 256 }),
    heartbeat: {
      entry: 'src/handlers/heartbeat.ts',
      memoryMb: 128,
      timeoutSeconds: 3,
      environment: {},
    },
  },
  throttle: { rateLimit: 500, burstLimit: 1000 },
} as const satisfies ApiDeclaration
