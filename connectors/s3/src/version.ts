/** The version of the S3 connector package. */
export const VERSION = '1.0.0'
