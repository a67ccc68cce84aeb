// An error the local Cognito answers with, on Cognito's wire format (`__type` + `message`, HTTP 400
// for client errors), so the real SDK throws the same typed exception it would against AWS.

export class CognitoError extends Error {
  constructor(
    /** The exception name, e.g. `NotAuthorizedException`; the SDK's error class of the same name. */
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
    this.name = type
  }
}

/** The one message Cognito gives for a wrong password, and for an unknown user when it hides existence. */
export const incorrectCredentials = () => new CognitoError('NotAuthorizedException', 'Incorrect username or password.')

