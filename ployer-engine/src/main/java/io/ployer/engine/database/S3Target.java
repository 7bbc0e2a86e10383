package io.ployer.engine.database;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backup files in an S3-compatible bucket through the AWS SDK v2. A file is sent as a multipart
 * upload of {@link #PART_SIZE} parts, so at most one part is in memory whatever the file's size; an
 * upload that fails is aborted (no partial object is left).
 */
final class S3Target implements BackupTarget {
    /** S3's smallest part size but for the last: memory per running backup. */
    static final int PART_SIZE = 8 * 1024 * 1024;
    private final S3Client client;
    private final String bucket;
    private final String prefix;

    S3Target(String endpoint, String region, String bucket, boolean pathStyle, String accessKey, String secretKey, String prefix) {
        var builder = S3Client.builder()
                .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region))
                .forcePathStyle(pathStyle)
                // Checksums only where S3 demands them: many S3-compatible servers do not speak the trailers.
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .overrideConfiguration(config -> config.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()).apiCallTimeout(Duration.ofMinutes(30)));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        this.client = builder.build();
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isBlank() ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
    }

    @Override
    public void write(String key, InputStream content) throws IOException {
        String objectKey = prefix + key;
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(request -> request.bucket(bucket).key(objectKey)).uploadId();
        } catch (SdkException e) {
            throw new IOException(reason("cannot start the upload of " + objectKey, e), e);
        }
        List<CompletedPart> parts = new ArrayList<>();
        byte[] buffer = new byte[PART_SIZE];
        try {
            int partNumber = 1;
            while (true) {
                int filled = content.readNBytes(buffer, 0, buffer.length);
                if (filled == 0 && partNumber > 1) {
                    break;
                }
                int number = partNumber;
                String etag = client.uploadPart(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId)
                        .partNumber(number), RequestBody.fromInputStream(new java.io.ByteArrayInputStream(buffer, 0, filled), filled))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                partNumber++;
                if (filled < buffer.length) {
                    break;
                }
            }
            client.completeMultipartUpload(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (IOException | RuntimeException e) {
            try {
                client.abortMultipartUpload(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId));
            } catch (SdkException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(reason("cannot upload " + objectKey, e), e);
        }
    }

    @Override
    public InputStream read(String key) throws IOException {
        try {
            return client.getObject(request -> request.bucket(bucket).key(prefix + key));
        } catch (SdkException e) {
            throw new IOException(reason("cannot read " + prefix + key, e), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            client.deleteObject(request -> request.bucket(bucket).key(prefix + key));
        } catch (SdkException e) {
            throw new IOException(reason("cannot delete " + prefix + key, e), e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        try {
            return client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix + keyPrefix)).contents().stream()
                    .map(S3Object::key).map(key -> key.substring(prefix.length())).sorted().toList();
        } catch (SdkException e) {
            throw new IOException(reason("cannot list " + prefix + keyPrefix, e), e);
        }
    }

    /** A sentence for a person: the SDK's own message is often a class name followed by details. */
    static String reason(String what, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = e.getMessage() == null ? "" : e.getMessage();
        if (root instanceof java.net.ConnectException || root instanceof java.net.UnknownHostException
                || root instanceof java.net.SocketTimeoutException || root instanceof java.net.NoRouteToHostException) {
            detail = "the S3 endpoint could not be reached (" + root.getClass().getSimpleName().replace("Exception", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT)
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return what + ": " + detail;
    }

    @Override
    public void close() {
        client.close();
    }
}
