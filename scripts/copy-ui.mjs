// `npm run build`: the web UI's files (src/ui/: ES modules, HTML, CSS, run by browsers as they are) go to dist/ui/,
// beside dist/rest/, where rest/routes/ui.ts looks for them.
import { cpSync, rmSync } from 'node:fs'

rmSync('dist/ui', { recursive: true, force: true })
cpSync('src/ui', 'dist/ui', { recursive: true, filter: (path) => !path.endsWith('tsconfig.json') })
