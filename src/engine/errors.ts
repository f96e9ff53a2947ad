// The daemon's error kinds (moby's errdefs). The CLI prints their messages as
// "Error response from daemon: …"; the REST API maps each kind to its status code.
import { familiarString, parseReference } from "./images/reference";

export class EngineError extends Error {
  readonly status: number = 500;
}

export class NotFoundError extends EngineError {
  override readonly status = 404;
}

export class ConflictError extends EngineError {
  override readonly status = 409;
}

export class InvalidParameterError extends EngineError {
  override readonly status = 400;
}

/** The container was not modified (start on a running one): 304 in the API. */
export class NotModifiedError extends EngineError {
  override readonly status = 304;
}

export const noSuchContainer = (ref: string) => new NotFoundError(`No such container: ${ref}`);
/** ErrImageDoesNotExist: a name is shown familiar and tagged (`nosuch:latest`); an ID as given. */
export function noSuchImage(ref: string): NotFoundError {
  let shown = ref;
  try {
    shown = familiarString(parseReference(ref));
  } catch {
    // Not a reference (an ID or a prefix of one).
  }
  return new NotFoundError(`No such image: ${shown}`);
}
