export * from './jobs';
export { createQueueBackend, QueueBackend, QueueBackendConfig, redisOptions } from './queue-backend';
export { JobProducer, EnqueueOptions } from './job-producer';
export { JobConsumer, assertHandlersComplete, MissingJobHandlerError } from './job-consumer';
export { checkedPayload, InvalidJobPayloadError, JOB_PAYLOAD_SHAPES, PayloadProblem, payloadProblem, UnknownJobError } from './job-payloads';
export const JOB_PRODUCER = Symbol('JOB_PRODUCER');
