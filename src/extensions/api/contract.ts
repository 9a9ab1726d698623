// The backend's HTTP contract, types only: the extension bundle never contains backend code.
export type {
  ErrorBody,
  ErrorCode,
  ObjectRef,
  Task,
  TaskBucket,
  TaskBucketName,
  TaskBucketsResponse,
} from '../../backend/contract/api';
