// heartbeat: keeps API Gateway's 10-minute idle timeout away (any data frame resets it). Touches no
// table and no other service: the function is declared with no environment and no grants.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('heartbeat', async () => ({ type: 'pong', at: new Date().toISOString() }))
