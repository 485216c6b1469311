/**
 * Two small connectors for herder tests, written as a third party would: a source and a sink that declare a config
 * and split it into tasks.max task configs, and do nothing else. With the worker double they give the herder real
 * plugins to validate, list and ask for task configs, before issue 6's FileStream connectors land.
 */
import { SinkConnector, SourceConnector } from '../../src/api/connector.ts'
import type { PluginDescriptor } from '../../src/api/plugin.ts'
import { SinkTask, SourceTask } from '../../src/api/task.ts'
import { ConfigDef } from '../../src/config/config-def.ts'
import { builtinConverterPlugins } from '../../src/converters/plugins.ts'
import { PluginRegistry } from '../../src/plugins/registry.ts'
import { builtinTransformPlugins } from '../../src/transforms/plugins.ts'

class DemoSourceTask extends SourceTask {
  version = () => '1.0'
  start() {}
  poll() {
    return null
  }
  stop() {}
}

class DemoSinkTask extends SinkTask {
  version = () => '1.0'
  start() {}
  put() {}
  stop() {}
}

function splitTasks(props: Readonly<Record<string, string>>, maxTasks: number): Record<string, string>[] {
  return Array.from({ length: maxTasks }, (_, i) => ({ ...props, 'task.index': String(i) }))
}

/** A source connector with a required `topic`. */
export class DemoSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}
  version = () => '1.0'
  start(props: Readonly<Record<string, string>>) {
    this.#props = props
  }
  taskClass = () => DemoSourceTask
  taskConfigs(maxTasks: number) {
    return splitTasks({ topic: this.#props.topic ?? '' }, maxTasks)
  }
  stop() {}
  config() {
    return new ConfigDef().define({
      name: 'topic',
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'Where to write.',
    })
  }
}

/** A sink connector (topics come from the framework keys). */
export class DemoSinkConnector extends SinkConnector {
  version = () => '1.0'
  start() {}
  taskClass = () => DemoSinkTask
  taskConfigs(maxTasks: number) {
    return splitTasks({}, maxTasks)
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

/** The demo connectors' descriptors. */
export const DEMO_PLUGINS: PluginDescriptor[] = [
  { type: 'source', plugin: DemoSourceConnector },
  { type: 'sink', plugin: DemoSinkConnector },
]

/** A registry with the built-in converters and transforms and the demo connectors. */
export function demoRegistry(): PluginRegistry {
  return new PluginRegistry([...builtinConverterPlugins(), ...builtinTransformPlugins(), ...DEMO_PLUGINS])
}
