/**
 * A preload for worker processes under test (`node --import <this file>`): appends the URL of every module the
 * process loads to the file that TSCONNECT_MODULE_TRACE names, so a test can tell which modules a worker loaded
 * (a plugin package's, its dependencies') and which it never touched.
 */
import { appendFileSync } from 'node:fs'
import { registerHooks } from 'node:module'

const file = process.env.TSCONNECT_MODULE_TRACE
if (file !== undefined && file !== '') {
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(file, `${url}\n`)
      return nextLoad(url, context)
    },
  })
}
