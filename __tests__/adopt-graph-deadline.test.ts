// adopt's Graph client against its --deadline, on a clock the test moves: no request starts after
// the deadline, and none is given more time than is left (the command line tests the retry wait).
import { DEADLINE, GraphError, graphClient } from '../lib/adopt/graph';
import type { HttpRequest, HttpResponse } from '../lib/verify/http';

function world(pageMs: number) {
  let clock = 1_000_000;
  const requests: HttpRequest[] = [];
  const http = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    clock += pageMs;
    const n = requests.length;
    // An endless collection: every page links to the next.
    return {
      status: 200,
      headers: {},
      body: JSON.stringify({ value: [{ id: String(n) }], '@odata.nextLink': `https://graph.example/v1.0/groups?page=${n + 1}` }),
    };
  };
  const client = graphClient({
    http,
    graphResource: 'https://graph.example',
    accessToken: 'not-a-token',
    timeoutMs: 30_000,
    deadline: { at: clock + 10_000, seconds: 10 },
    now: () => clock,
  });
  return { client, requests };
}

it('starts no request after the deadline, and gives none more time than is left', async () => {
  const { client, requests } = world(3_000);
  const error = await client.list('/v1.0/groups').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  expect((error as GraphError).code).toBe(DEADLINE);
  expect((error as GraphError).message).toMatch(
    /^adopt has read Microsoft Graph for its whole --deadline of 10 s before GET \/v1\.0\/groups; nothing was written$/,
  );
  // Pages at 0, 3, 6 and 9 s of 10: the fifth would start after it.
  expect(requests).toHaveLength(4);
  expect(requests.map((r) => r.timeoutMs)).toEqual([10_000, 7_000, 4_000, 1_000]);
});
