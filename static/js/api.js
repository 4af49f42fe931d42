// Every call to the inspector's API goes through here, as mitmweb's fetchApi does: the status
// is checked, and an answer that is not 2xx becomes an ApiError carrying the API's own words
// (its `{"error": "…"}`; `body` keeps the whole JSON answer), so no caller reads an error
// page as data. A fetch that gets no answer at all (the inspector stopped, the network went)
// is an ApiError too, with status 0, so every caller that says an API error says this one.

export class ApiError extends Error {
  constructor(status, message, body = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

export const NO_ANSWER = 0;

async function answered(path, init) {
  try {
    return await fetch(path, init);
  } catch (problem) {
    // fetch rejects with a TypeError when no answer came; anything else is not ours to say.
    if (!(problem instanceof TypeError)) throw problem;
    throw new ApiError(NO_ANSWER, "The inspector did not answer: is it still running?");
  }
}

async function checked(path, init) {
  const response = await answered(path, init);
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`.trim();
  let answer = null;
  try {
    answer = await response.json();
    if (typeof answer?.error === "string") message = answer.error;
  } catch {
    // Not JSON (a proxy's page, an empty body): the status line says enough.
  }
  throw new ApiError(response.status, message, answer);
}

export async function getJson(path, init = {}) {
  return (await checked(path, init)).json();
}

export async function getText(path) {
  return (await checked(path)).text();
}

export async function getBytes(path) {
  return new Uint8Array(await (await checked(path)).arrayBuffer());
}

// A body that is a Blob (a file to import) goes as it is; anything else as JSON. 204 answers null.
export async function sendJson(method, path, body = undefined) {
  const init = { method };
  if (body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = body instanceof Blob ? body : JSON.stringify(body);
  }
  const response = await checked(path, init);
  return response.status === 204 ? null : response.json();
}
