# One image per service, from the Spring Boot jar the Maven build made:
#   ./mvnw -B -q install -DskipTests && docker-compose build
# The build context is the module's directory (docker-compose.yml sets it), MODULE its name, and
# JAR_SUFFIX the Spring Boot jar's classifier where the module's plain jar is also a library
# (document-pipeline: -exec).
ARG JAVA_IMAGE=eclipse-temurin:25-jre

# Spring Boot's layers (dependencies, loader, snapshot modules, application), so a code change
# rebuilds only the last, small layer.
FROM ${JAVA_IMAGE} AS layers
ARG MODULE
ARG VERSION=0.1.0-SNAPSHOT
ARG JAR_SUFFIX=""
WORKDIR /build
COPY target/${MODULE}-${VERSION}${JAR_SUFFIX}.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM ${JAVA_IMAGE}
ARG MODULE
# Debian/Ubuntu packages a service runs beside the JVM (curl-processor: tesseract-ocr tesseract-ocr-eng).
ARG APT_PACKAGES=""
LABEL org.opencontainers.image.title="jobstream ${MODULE}"
RUN if [ -n "${APT_PACKAGES}" ]; then \
      apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES} && rm -rf /var/lib/apt/lists/*; \
    fi
# Kafka Streams state stores live in /data (a volume); the service runs as an unprivileged user.
RUN useradd --system --user-group --no-create-home jobstream \
    && mkdir /data && chown jobstream:jobstream /data
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER jobstream
ENV JOBSTREAM_KAFKA_DATADIR=/data
EXPOSE 8080
# ONNX Runtime and RocksDB load native code; the tokenizer's native library is unpacked in /tmp
# (the service user has no home). JVM sizing comes from JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-DDJL_CACHE_DIR=/tmp/djl", \
            "org.springframework.boot.loader.launch.JarLauncher"]
