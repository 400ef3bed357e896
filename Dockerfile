# Build: docker build -t webhook-hub .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app hub
WORKDIR /app
COPY --from=build /src/target/webhook-hub.jar /app/webhook-hub.jar
COPY config /app/config
COPY routes /app/routes
RUN mkdir -p /app/data && chown -R hub /app/data
USER hub
# two glibc malloc arenas: native memory stays flat however many threads the hub runs (RSS target 512 MB)
ENV HUB_DATA_DIR=/app/data HUB_HTTP_PORT=8080 MALLOC_ARENA_MAX=2
VOLUME /app/data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD curl -fs http://localhost:8080/observe/health/ready || exit 1
ENTRYPOINT ["java", "-Xms256m", "-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=70", "-Xss512k", "-XX:MaxMetaspaceSize=128m", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/webhook-hub.jar"]
