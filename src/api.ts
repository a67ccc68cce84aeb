// The chat API, declared once. infra/ derives routes, functions and grants from it; the emulator runs
// the same entries with the same environment names. Every chat action (protocol.md) is its own
// two-way route and function, so each gets only the DynamoDB actions and @connections methods its
// code calls (infra/grants.test.ts runs each and checks).
import type { ApiDeclaration, FunctionDeclaration, TableAccess } from './api-declaration.ts'

const table = { from: 'tableName', table: 'chat' } as const
const callbackUrl = { from: 'callbackUrl' } as const

/**
 * What removing a connection found gone costs (connections.ts): its record and room items deleted,
 * each room's presence version bumped and its members read and told.
 */
const goneCleanup: readonly TableAccess[] = ['DeleteItem', 'UpdateItem', 'Query']

/**
 * A chat action's function: its DynamoDB actions, and `posts` when it fans out through
 * `@connections` (a post that finds its peer gone then needs `goneCleanup`). Every action may close
 * a connection that keeps going past its limits (action-limits.ts): `@connections` DELETE.
 */
const action = (
  entry: string,
  access: readonly TableAccess[],
  options: { posts?: boolean; memoryMb?: number; hotPath?: boolean; reserved: number },
): FunctionDeclaration => ({
  entry: `src/handlers/${entry}.ts`,
  memoryMb: options.memoryMb ?? 512,
  timeoutSeconds: 15,
  reservedConcurrency: options.reserved,
  environment: access.length > 0 ? { TABLE_NAME: table, CALLBACK_URL: callbackUrl } : { CALLBACK_URL: callbackUrl },
  ...(access.length > 0 ? { tables: { chat: [...new Set([...access, ...(options.posts ? goneCleanup : [])])].sort() } } : {}),
  manageConnections: options.posts ? ['DELETE', 'POST'] : ['DELETE'],
  ...(options.hotPath ? { hotPath: true } : {}),
})

/*
 * Reserved concurrency (applied on AWS with `chat:reservedConcurrency=true`, always in the emulator):
 * a cap per function, so that a flood of one action cannot take every sandbox of the account, and a
 * guarantee for the hot path. They add up to 890, leaving the 100 unreserved that Lambda insists on
 * from the default account quota of 1,000.
 */
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
    { routeKey: 'listdirects', function: 'listdirects', twoWay: true },
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
      reservedConcurrency: 100,
    },
    // The connection, the user's profile and the lobby listener: one BatchWriteItem.
    connect: {
      entry: 'src/handlers/connect.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TABLE_NAME: table },
      tables: { chat: ['BatchWriteItem'] },
      hotPath: true,
      reservedConcurrency: 100,
    },
    // Leaving every room tells them (presence).
    disconnect: {
      entry: 'src/handlers/disconnect.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TABLE_NAME: table, CALLBACK_URL: callbackUrl },
      tables: { chat: [...goneCleanup].sort() },
      manageConnections: ['POST'],
      reservedConcurrency: 80,
    },
    default: {
      entry: 'src/handlers/default.ts',
      memoryMb: 256,
      timeoutSeconds: 5,
      environment: {},
      // Every frame no route takes lands here, malformed ones included: cheap, but many.
      reservedConcurrency: 50,
    },
    sendmessage: action('sendmessage', ['GetItem', 'PutItem', 'UpdateItem', 'Query'], { posts: true, memoryMb: 1024, hotPath: true, reserved: 200 }),
    joinroom: action('joinroom', ['GetItem', 'PutItem', 'UpdateItem', 'Query'], { posts: true, reserved: 80 }),
    leaveroom: action('leaveroom', ['UpdateItem'], { posts: true, reserved: 30 }),
    listrooms: action('listrooms', ['GetItem', 'Query'], { memoryMb: 256, reserved: 30 }),
    listdirects: action('listdirects', ['GetItem', 'Query'], { memoryMb: 256, reserved: 20 }),
    history: action('history', ['GetItem', 'Query'], { memoryMb: 512, reserved: 60 }),
    editmessage: action('editmessage', ['GetItem', 'UpdateItem', 'Query'], { posts: true, reserved: 20 }),
    deletemessage: action('deletemessage', ['GetItem', 'UpdateItem', 'Query'], { posts: true, reserved: 20 }),
    // Throttled in memory, never stored: reads membership, posts to the others.
    typing: action('typing', ['GetItem', 'Query'], { posts: true, reserved: 60 }),
    opendirect: action('opendirect', ['GetItem'], { memoryMb: 256, reserved: 20 }),
    // No DynamoDB call at all; only a connection past its limits is closed (DELETE).
    heartbeat: { ...action('heartbeat', [], { reserved: 20 }), memoryMb: 128, timeoutSeconds: 3 },
  },
  throttle: { rateLimit: 500, burstLimit: 1000 },
} as const satisfies ApiDeclaration
