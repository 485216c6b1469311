/**
 * The distributed herder: the one owner of cluster state in a worker (Java's DistributedHerder, split up).
 *
 * Everything that changes herder state runs as a job on one loop (herder-loop.ts): REST requests (distributed-herder.ts
 * implements the Herder interface on top of this class), rebalance outcomes, config-topic updates, worker events
 * and timers. The parts:
 * - membership: a GroupMember with the ConnectCoordinator (herder-membership.ts); its hooks enqueue jobs here;
 * - after a rebalance (rebalance-handler.ts, Java's DistributedHerder.handleRebalanceCompleted): read the config topic to the end when behind,
 *   rejoin when the assignment is stale, stop revoked work, start assigned work, rejoin after revoking, schedule the
 *   delayed rejoin;
 * - config updates (config-updates.ts): new or removed connectors and committed task configs ask for a rebalance;
 *   an updated connector restarts where it runs; target states go to the worker; restart requests and log levels
 *   apply here;
 * - task configs: the worker running a connector generates them; the leader writes them when they changed
 *   (leader-duties.ts), a follower forwards them to the leader (task-config-forwarding.ts);
 * - the leader's duties after each resolved rebalance: write privileges, the session key, DESTROYED statuses.
 *
 * Stopping: the loop refuses new jobs, the worker stops its work gracefully, the member leaves the group, the
 * stores stop.
 */

import type { ConnectCoordinator, RebalanceResult } from '../assignors/connect-coordinator.ts'
import type { WorkerConfig } from '../config/connect/worker-config.ts'
import { WorkerShuttingDownError } from '../errors.ts'
import type { GroupCalls } from '../kafka/group-calls.ts'
import type { GroupMember } from '../membership/member.ts'
import type { MetricsRegistry } from '../metrics/registry.ts'
import type { ConfigResolver } from '../plugins/config-providers/worker-config-providers.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConnectorsAndTasks } from '../protocol/connector-assignments.ts'
import type { ClusterConfigSnapshot, ConfigStore } from '../stores/config-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import { logger as componentLogger, type Logger, rootLogger } from '../util/log.ts'
import type { WorkerApi, WorkerListener } from '../worker/worker-api.ts'
import { AssignedWork } from './assigned-work.ts'
import { AutoRestarts } from './auto-restart.ts'
import { ConfigUpdates } from './config-updates.ts'
import type { HerderStage } from './herder.ts'
import { HerderLoop } from './herder-loop.ts'
import { createHerderMembership } from './herder-membership.ts'
import { HerderMetrics } from './herder-metrics.ts'
import { LeaderDuties, withReferencesRestored } from './leader-duties.ts'
import { Loggers } from './loggers.ts'
import { RebalanceHandler } from './rebalance-handler.ts'
import {
  FORWARD_BACKOFF,
  type ForwardTarget,
  forwardTaskConfigs,
  forwardZombieFencing,
  type LeaderClient,
} from './task-config-forwarding.ts'
import { WorkRestarts } from './work-restarts.ts'

/** What a distributed herder is built from. */
export interface DistributedHerderOptions {
  readonly config: WorkerConfig
  readonly configStore: ConfigStore
  readonly statusStore: StatusStore
  readonly plugins: PluginRegistry
  /** Makes the worker once the herder knows this worker's id (host:port of the advertised REST URL). */
  readonly createWorker: (workerId: string, listener: WorkerListener) => WorkerApi
  /** The Kafka cluster id, for GET /. */
  readonly clusterId: () => Promise<string>
  /** Group calls; by default a Kafka client from the worker properties. */
  readonly groupCalls?: GroupCalls
  /**
   * Outbound REST to the leader (task configs, fencing requests); cli/ passes rest/client.ts's RestClient, a
   * one-member group task-config-forwarding.ts's noLeaderClient.
   */
  readonly leaderClient: LeaderClient
  /** Resolves config-provider references for validation (never for storage or REST answers). */
  readonly configResolver?: ConfigResolver
  /**
   * Fences every producer of the given transactional ids (exactly-once source zombie fencing, KIP-618); without
   * it a fencing round only writes the task count record.
   */
  readonly fenceProducers?: (transactionalIds: readonly string[]) => Promise<void>
  /** Where the rebalance and coordinator metric groups go (none: not measured). */
  readonly metrics?: MetricsRegistry
  readonly clock?: Clock
  readonly log?: Logger
}

/** A request held until the group settles (DistributedHerderCore.submitSettled). */
interface HeldRequest {
  readonly run: () => Promise<void>
  readonly reject: (error: Error) => void
}

/** Why a rebalance is in the air, for RebalanceInProgressError decisions. */
type Phase = 'starting' | 'joining' | 'resolving' | 'resolved' | 'stopping'

/**
 * The core of the distributed herder: state, loop and reactions. The REST side (distributed-herder.ts) reads its
 * fields and runs its requests on its loop; nothing else touches them.
 */
export class DistributedHerderCore {
  readonly #o: DistributedHerderOptions
  /** The worker's config. */
  readonly config: WorkerConfig
  /** The config topic's store. */
  readonly configStore: ConfigStore
  /** The status topic's store. */
  readonly statusStore: StatusStore
  /** The plugins this worker knows. */
  readonly plugins: PluginRegistry
  /** Fences producers of transactional ids (exactly-once source support), when given. */
  readonly fenceProducers: DistributedHerderOptions['fenceProducers']
  /** Resolves config-provider references for validation, when given. */
  readonly configResolver: DistributedHerderOptions['configResolver']
  readonly loop: HerderLoop
  readonly log: Logger
  readonly clock: Clock
  readonly loggers: Loggers
  readonly leaderDuties: LeaderDuties
  /** Automatic restarts of failed work running here (tsconnect.auto.restart.*). */
  readonly autoRestarts: AutoRestarts
  /** Restarts of work running here: by hand, by restart request, automatic. */
  readonly restarts: WorkRestarts
  #worker: WorkerApi | undefined
  #work: AssignedWork | undefined
  #member: GroupMember | undefined
  #coordinator: ConnectCoordinator | undefined
  #phase: Phase = 'starting'
  #assignment: RebalanceResult | undefined
  #clusterId: Promise<string> | undefined
  #ready = false
  #url = ''
  readonly #leaderClient: LeaderClient
  readonly #configUpdates: ConfigUpdates
  #unsubscribe: (() => void) | undefined
  #rebalance: RebalanceHandler | undefined
  #reconfigureFailures = new Map<string, number>()
  #stopping: Promise<void> | undefined
  /** Requests that came during a rebalance, in arrival order: they run once it is handled (submitSettled). */
  #held: HeldRequest[] = []
  #metrics: HerderMetrics | undefined

  constructor(options: DistributedHerderOptions) {
    this.#o = options
    this.config = options.config
    this.configStore = options.configStore
    this.statusStore = options.statusStore
    this.plugins = options.plugins
    this.fenceProducers = options.fenceProducers
    this.configResolver = options.configResolver
    this.clock = options.clock ?? systemClock
    this.log = options.log ?? componentLogger('herder')
    this.loop = new HerderLoop(this.clock, this.log)
    this.loggers = new Loggers(rootLogger(), this.clock)
    this.#leaderClient = options.leaderClient
    const c = options.config
    this.autoRestarts = new AutoRestarts({
      enabled: c.getBoolean('tsconnect.auto.restart.enable') ?? true,
      initialBackoffMs: c.number('tsconnect.auto.restart.initial.backoff.ms'),
      maxBackoffMs: c.number('tsconnect.auto.restart.max.backoff.ms'),
      maxAttempts: c.number('tsconnect.auto.restart.max.attempts'),
    })
    this.restarts = new WorkRestarts(this)
    this.#configUpdates = new ConfigUpdates(this)
    this.leaderDuties = new LeaderDuties(
      options.configStore,
      options.statusStore,
      {
        algorithm: c.string('inter.worker.key.generation.algorithm'),
        sizeBits: c.getInt('inter.worker.key.size') ?? undefined,
        ttlMs: c.number('inter.worker.key.ttl.ms'),
      },
      this.log,
    )
  }

  /** The worker this herder drives (made at start). */
  get worker(): WorkerApi | undefined {
    return this.#worker
  }

  /** What runs here. */
  get work(): AssignedWork | undefined {
    return this.#work
  }

  /** The group member (made at start). */
  get member(): GroupMember | undefined {
    return this.#member
  }

  /** The Connect side of the member: the protocol in force and, on the leader, who runs what. */
  get coordinator(): ConnectCoordinator | undefined {
    return this.#coordinator
  }

  /** The last rebalance outcome handled. */
  get assignment(): RebalanceResult | undefined {
    return this.#assignment
  }

  /** This worker's advertised REST URL (known once started). */
  get url(): string {
    return this.#url
  }

  /** The Kafka cluster id, asked once (again after a failure). */
  clusterId(): Promise<string> {
    this.#clusterId ??= this.#o.clusterId().catch((error: unknown) => {
      this.#clusterId = undefined
      throw error
    })
    return this.#clusterId
  }

  /** Whether the first rebalance was handled and the config topic read. */
  get ready(): boolean {
    return this.#ready
  }

  /** What the loop does now, or last did. */
  get currentStage(): HerderStage | undefined {
    return this.loop.stage
  }

  /** The group generation of the last handled rebalance, -1 before the first. */
  get generation(): number {
    return this.#assignment?.generationId ?? -1
  }

  /** Whether this worker leads the group, as of the last handled rebalance. */
  get isLeader(): boolean {
    return this.#assignment?.isLeader ?? false
  }

  /** The leader's URL, as of the last handled rebalance. */
  get leaderUrl(): string | undefined {
    return this.#assignment?.leaderUrl || undefined
  }

  /** The config snapshot as read so far. */
  get snapshot(): ClusterConfigSnapshot {
    return this.configStore.snapshot()
  }

  /** Whether the herder is stopping. */
  get stopping(): boolean {
    return this.#phase === 'stopping'
  }

  /** Whether the last rebalance outcome was applied (and no new one began since it was). */
  get resolved(): boolean {
    return this.#phase === 'resolved'
  }

  /** Whether a rebalance is under way or its outcome not yet applied. */
  get rebalancing(): boolean {
    return this.#phase !== 'resolved' || (this.#member !== undefined && this.#member.state !== 'stable')
  }

  /**
   * Starts the stores, joins the group and starts the loop, advertising `url` (this worker's REST URL; its
   * host:port is the worker id). Resolves once the stores have been read and the member started.
   */
  async start(url: string): Promise<void> {
    this.#url = url.replace(/\/+$/, '')
    const workerId = new URL(this.#url).host
    this.#worker = this.#o.createWorker(workerId, this.#workerListener())
    this.#work = new AssignedWork(this.#worker, this.log, () =>
      this.loop.post('starting work whose earlier instance stopped', () => this.#startWaiting()),
    )
    // Ahead of any request queued already (REST listens first): as in Java, requests see the topics read. Each
    // goes to the front of the queue, so the later step is queued first; it runs second and waits for the first.
    const configRead = this.loop.submitFirst('reading the config topic', async () => {
      await statusStarted
      await this.configStore.start()
      this.#configUpdates.seed(this.snapshot)
      this.#unsubscribe = this.configStore.onUpdate((u) =>
        this.loop.post(ConfigUpdates.describe(u), () => this.#configUpdates.apply(u)),
      )
    })
    const statusStarted = this.loop.submitFirst('starting the status store', () => this.statusStore.start())
    this.loop.start()
    await Promise.all([statusStarted, configRead])
    await this.clusterId()
    await this.loop.submit('joining the group', () => this.#startMember(workerId))
  }

  /**
   * Runs `fn` on the loop once the group is settled. A request that finds a rebalance under way is held and runs
   * right after the rebalance is handled, together with every other request held meanwhile and ahead of the config
   * updates queued since: as in Java's tick, requests wait for the rebalance and then all run, so that N writes made
   * during one rebalance cause one rejoin, not N. (Refusing them instead made REST retry each one until it found a
   * settled moment, which every write ended: writes went one per rebalance, and the rest timed out.)
   */
  submitSettled<T>(description: string, fn: () => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = async (): Promise<void> => {
        try {
          resolve(await fn())
        } catch (error) {
          reject(error)
        }
      }
      this.loop
        .submit(description, async () => {
          if (this.rebalancing) this.#held.push({ run, reject })
          else await run()
        })
        .catch(reject)
    })
  }

  /** Runs the held requests that a settled group allows (all of them, unless a new rebalance began meanwhile). */
  async #runHeld(): Promise<void> {
    for (const request of this.#held.splice(0)) {
      if (this.rebalancing) this.#held.push(request)
      else await request.run()
    }
  }

  /** Stops gracefully: no new jobs, the worker's work stopped, the group left, the stores stopped. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop()
    return this.#stopping
  }

  async #stop(): Promise<void> {
    this.#phase = 'stopping'
    this.log.info('Herder stopping')
    await this.loop.stop()
    for (const request of this.#held.splice(0)) request.reject(new WorkerShuttingDownError())
    this.#unsubscribe?.()
    await this.#worker?.stop()
    // A static member does not leave: the broker keeps its assignment for its return until session.timeout.ms.
    const leaveGroup = this.config.getString('group.instance.id') === null
    await this.#member?.close({ reason: 'the worker is shutting down', leaveGroup })
    await this.configStore.stop()
    await this.statusStore.stop()
    this.log.info('Herder stopped')
  }

  #startMember(workerId: string): void {
    this.#metrics = this.#o.metrics && this.#newMetrics(workerId, this.#o.metrics)
    const { coordinator, member } = createHerderMembership({
      ...(this.#metrics ? { observer: this.#metrics } : {}),
      config: this.config,
      url: this.#url,
      workerId,
      snapshot: () => this.snapshot,
      statusStore: this.statusStore,
      ...(this.#o.groupCalls ? { groupCalls: this.#o.groupCalls } : {}),
      clock: this.clock,
      log: this.log,
      onRevoked: (revoked) => this.#onRevoked(revoked),
      onAssigned: (result) => {
        this.#phase = 'resolving'
        this.loop.post(`handling the rebalance of generation ${result.generationId}`, () => this.#onRebalance(result))
      },
      onFailed: (error) => {
        // E.g. not authorized for the group: nothing will be assigned to this worker any more, so nothing may run.
        this.log.fatal({ err: error }, 'The worker left its group for good; stopping its connectors and tasks')
        this.#phase = 'joining'
        this.loop.post('stopping all work after a fatal group error', () => {
          void this.#work?.stop(this.#work.running.toWork())
        })
      },
    })
    this.#coordinator = coordinator
    this.#member = member
    if (this.#work !== undefined) {
      this.#rebalance = new RebalanceHandler({
        member,
        work: this.#work,
        configStore: this.configStore,
        config: this.config,
        loop: this.loop,
        log: this.log,
      })
    }
    this.#phase = 'joining'
    member.start()
  }

  /** The rebalance and coordinator groups; the coordinator's client-id is the member's (Java's DistributedHerder). */
  #newMetrics(workerId: string, registry: MetricsRegistry): HerderMetrics {
    const clientId = this.config.string('client.id') || `connect-${workerId}`
    return new HerderMetrics(
      registry,
      {
        protocol: () => this.#coordinator?.protocol,
        leaderUrl: () => this.leaderUrl,
        generation: () => this.generation,
        rebalancing: () => this.rebalancing,
        assigned: () => ({
          connectors: this.#assignment?.assignment.connectors.length ?? 0,
          tasks: this.#assignment?.assignment.tasks.length ?? 0,
        }),
      },
      clientId,
    )
  }

  /**
   * Revoked work stops before the member goes on (the coordinator awaits this; Invariant 3). The stops are asked for
   * on the loop and awaited off it, so that REST requests and config updates go on meanwhile.
   */
  async #onRevoked(revoked: ConnectorsAndTasks): Promise<void> {
    this.#phase = 'joining'
    try {
      const { stopped } = await this.loop.submit('stopping revoked connectors and tasks', () => {
        for (const c of revoked.connectors) this.autoRestarts.forget(c)
        for (const t of revoked.tasks) this.autoRestarts.forget(t)
        const work = this.#work
        // Work already stopping (a reconfiguration, a restart) must have stopped too before the rejoin, unless its
        // connector is gone: nobody will run a deleted connector's tasks, so the rebalance need not wait for them.
        const snapshot = this.snapshot
        const live = {
          connectors: revoked.connectors.filter((c) => snapshot.contains(c)),
          tasks: revoked.tasks.filter((t) => snapshot.contains(t.connector)),
        }
        return { stopped: work && Promise.all([work.stop(revoked), work.stopsOf(live)]) }
      })
      await stopped
    } catch (err) {
      // Only when stopping: the worker's own stop takes everything down.
      this.log.debug({ err }, 'Revocation not handled: the herder is stopping')
    }
  }

  /** The rebalance steps (rebalance-handler.ts), then what follows a resolved assignment: readiness, leader duties, task configs. */
  async #onRebalance(r: RebalanceResult): Promise<void> {
    const handler = this.#rebalance
    if (handler === undefined) return
    this.#assignment = r
    this.log.info(
      {
        generation: r.generationId,
        leader: r.isLeader,
        leaderUrl: r.leaderUrl,
        offset: String(r.configOffset),
        assignment: r.assignment,
        revoked: r.revoked,
        delay: r.delay,
        error: r.error,
      },
      'Joined group and got assignment',
    )
    const started = await handler.handle(r)
    if (started === undefined) return
    this.#phase = 'resolved'
    this.#metrics?.rebalanceSucceeded()
    if (!this.#ready) this.log.info({ url: this.#url }, 'Herder ready')
    this.#ready = true
    if (r.isLeader) {
      // A leader that cannot claim write privileges (e.g. no ACL for its transactional id) still runs the requests
      // held through the rebalance: their writes try the claim again and fail with its error, instead of waiting
      // for the REST timeout. Java's herder likewise reclaims at its next tick.
      await this.#leaderDuties().catch((error: unknown) =>
        this.log.error({ err: error }, 'Leader duties failed after the rebalance; config writes will try again'),
      )
    }
    await this.#runHeld()
    for (const c of started) await this.reconfigureTasks(c)
  }

  /** Starts what waited for an earlier instance to stop (AssignedWork), once the group is settled. */
  async #startWaiting(): Promise<void> {
    const work = this.#work
    const assignment = this.#assignment
    // During a rebalance the next handled assignment starts what is assigned and not running anyway.
    if (work === undefined || assignment === undefined || this.rebalancing) return
    const started = await work.startWaiting(assignment.assignment, this.snapshot)
    for (const c of started) await this.reconfigureTasks(c)
  }

  async #leaderDuties(): Promise<void> {
    await this.configStore.claimWritePrivileges()
    await this.leaderDuties.destroyRemoved(this.snapshot, this.#worker?.workerId ?? '', this.generation)
    await this.#rotateSessionKey()
  }

  async #rotateSessionKey(): Promise<void> {
    if (!this.isLeader || this.#phase !== 'resolved' || this.#coordinator?.protocol !== 'sessioned') return
    const nextCheck = await this.leaderDuties.rotateSessionKey(this.snapshot, this.clock.now())
    this.loop.schedule('checking the session key', nextCheck, () => this.#rotateSessionKey())
  }

  /**
   * Generates a connector's task configs (it must run here, STARTED) and has them written: by itself when leader,
   * else through the leader's REST API. Failures retry with backoff.
   */
  async reconfigureTasks(connector: string): Promise<void> {
    const worker = this.#worker
    if (worker === undefined || !worker.runningConnectors().includes(connector)) return
    const snapshot = this.snapshot
    const raw = snapshot.connectorConfig(connector)
    if (raw === undefined || snapshot.targetState(connector) !== 'STARTED') return
    try {
      const configs = withReferencesRestored(raw, await worker.connectorTaskConfigs(connector))
      if (this.isLeader) {
        await this.leaderDuties.writeTaskConfigsIfChanged(snapshot, connector, configs)
        this.#reconfigureFailures.delete(connector)
        return
      }
      const leaderUrl = this.leaderUrl
      if (leaderUrl === undefined) throw new Error('the leader is unknown')
      const target = this.#leaderTarget(leaderUrl)
      // The request to the leader runs off the loop (as Java's forwarding executor): a slow leader must not hold up
      // rebalances or REST requests here. Its outcome comes back as a job.
      void forwardTaskConfigs(this.#leaderClient, target, connector, configs).then(
        () =>
          this.loop.post(`task configs of ${connector} accepted`, () => {
            this.#reconfigureFailures.delete(connector)
          }),
        (err: unknown) =>
          this.loop.post(`task configs of ${connector} refused`, () => this.#retryReconfigure(connector, err)),
      )
    } catch (err) {
      this.#retryReconfigure(connector, err)
    }
  }

  /**
   * Asks the leader at `leaderUrl` for a round of zombie fencing (signed under the sessioned protocol); runs off
   * the loop, for an exactly-once source task that starts here.
   */
  forwardZombieFencing(leaderUrl: string, connector: string): Promise<void> {
    return forwardZombieFencing(this.#leaderClient, this.#leaderTarget(leaderUrl), connector)
  }

  /** Where a forward to the leader goes, signed with the session key when the sessioned protocol is in force. */
  #leaderTarget(leaderUrl: string): ForwardTarget {
    const key = this.snapshot.sessionKey
    const signed = this.#coordinator?.protocol === 'sessioned' && key !== undefined
    return {
      leaderUrl,
      sign: signed ? { key, algorithm: this.config.string('inter.worker.signature.algorithm') } : undefined,
      timeoutMs: this.config.restRequestTimeoutMs,
    }
  }

  #retryReconfigure(connector: string, err: unknown): void {
    const failures = (this.#reconfigureFailures.get(connector) ?? 0) + 1
    this.#reconfigureFailures.set(connector, failures)
    const backoff = exponentialBackoff(failures, FORWARD_BACKOFF.initialMs, FORWARD_BACKOFF.maxMs)
    this.log.warn({ err, connector, failures, backoffMs: backoff }, 'Failed to reconfigure connector tasks; retrying')
    this.loop.schedule(`retrying the task configs of ${connector}`, backoff, () => this.reconfigureTasks(connector))
  }

  #workerListener(): WorkerListener {
    return {
      onTaskReconfigurationRequest: (connector) =>
        this.loop.post(`reconfiguring the tasks of ${connector}`, () => this.reconfigureTasks(connector)),
      onConnectorFailure: (connector, err) => {
        this.log.warn({ connector, err }, 'Connector failed')
        this.loop.post(`noting the failure of connector ${connector}`, () => this.restarts.onFailure(connector, err))
      },
      onTaskFailure: (task, err) => {
        const id = `${task.connector}-${task.task}`
        this.log.warn({ task: id, err }, 'Task failed')
        this.loop.post(`noting the failure of task ${id}`, () => this.restarts.onFailure(task, err))
      },
    }
  }
}
