import type { FastifyInstance } from 'fastify';

/**
 * "METHOD /path" for every route of the app, read from `printRoutes({ commonPrefix: false })`
 * (fastify 5 has no route list; its tree prints one segment per line, four columns per level).
 * HEAD routes fastify adds beside each GET, and the CORS preflight (OPTIONS *), are left out.
 */
export function routesOf(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S*)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${stack[depth - 1] ?? ''}${match[2] ?? ''}`;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method === '' || method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push(`${method} ${path}`);
    }
  }
  return routes.sort();
}
