// What to tell a person when something fails: the protocol's error codes and Cognito's exceptions
// in plain words.

const chatErrors = {
  BAD_FRAME: 'The server did not understand that request.',
  UNKNOWN_ACTION: 'The server does not know that request.',
  TOO_LONG: 'That message is too long: 4,000 characters at most.',
  BAD_ROOM_NAME: 'Room names are 1–64 letters, digits, “-” or “_”.',
  NOT_MEMBER: 'Join the room first.',
  NOT_FOUND: 'That message no longer exists.',
  NOT_OWNER: 'You can only change your own messages.',
  USER_NOT_FOUND: 'That user does not exist.',
  RATE_LIMITED: 'You are going a bit fast. Wait a moment and try again.',
  NOT_CONNECTED: 'The connection was lost. Reconnecting…',
  OFFLINE: 'You are offline. Reconnecting…',
  TIMEOUT: 'The server did not answer in time. Try again.',
}

const cognitoErrors = {
  NotAuthorizedException: 'Wrong username or password.',
  UserNotFoundException: 'Wrong username or password.',
  UsernameExistsException: 'That username is taken. Pick another or sign in.',
  AliasExistsException: 'An account with that email already exists. Sign in with it instead.',
  InvalidPasswordException: 'That password is too weak.',
  InvalidParameterException: 'Check the fields and try again.',
  CodeMismatchException: 'That code is wrong. Check it and try again.',
  EnableSoftwareTokenMFAException: 'That code is wrong. Check your authenticator app and try again.',
  ExpiredCodeException: 'That confirmation code has expired.',
  TooManyRequestsException: 'Too many attempts. Wait a moment and try again.',
  LimitExceededException: 'Too many attempts. Wait a moment and try again.',
}

/** @param {{ code?: string, type?: string, message?: string }} error */
export function errorText(error) {
  if (error.code && chatErrors[error.code]) return chatErrors[error.code]
  if (error.type && cognitoErrors[error.type]) {
    // Cognito's own text says which password rule failed; keep it.
    return error.type === 'InvalidPasswordException' || error.type === 'InvalidParameterException'
      ? `${cognitoErrors[error.type]} ${error.message ?? ''}`.trim()
      : cognitoErrors[error.type]
  }
  return error.message || 'Something went wrong.'
}
