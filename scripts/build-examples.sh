#!/usr/bin/env bash
# Builds and tests the examples that live outside the reactor (ployer-examples/nginx-proxy-plugin and the
# README's embedding snippet copied into an empty project) the way an outside author builds them: a separate
# Maven invocation, a fresh local repository, Maven Central, and only the published Ployer artifacts.
# Until the first release is on Central, "published" is a file repository this script fills from this
# build (mvn deploy to target/examples-staging: no `mvn install`, ~/.m2 is left alone).
#
# Needs: the main build's ployer-dist/target/ployer-VERSION.tar.gz (the nginx plugin's server test starts it);
# nginx from Debian (scripts/provision-test-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
staging="$root/target/examples-staging"
m2="$root/target/examples-m2"
mvn_flags=(-B -ntp)
[ "${PLOYER_MVN_OFFLINE:-false}" = true ] && mvn_flags+=(-o)

rm -rf "$staging"
echo "[examples] deploying ployer-parent, -bom, -api, -testkit, -engine and the sqlite, docker and caddy plugins to $staging"
mvn "${mvn_flags[@]}" -q deploy -am -pl ployer-bom,ployer-api,ployer-plugins/ployer-testkit,ployer-engine,ployer-plugins/ployer-plugin-sqlite,ployer-plugins/ployer-plugin-docker,ployer-plugins/ployer-plugin-caddy \
  -DskipTests -Dmaven.install.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -DaltDeploymentRepository="staging::file://$staging"

consumer=(-B -ntp -s "$root/.ci/examples-settings.xml" -Dployer.staging="file://$staging" -Dmaven.repo.local="$m2")

echo "[examples] the nginx reverse-proxy plugin: TCK against a real nginx, then dropped into a running server"
mvn "${consumer[@]}" -f ployer-examples/nginx-proxy-plugin/pom.xml clean verify \
  -Dployer.distribution="$(ls "$root"/ployer-dist/target/ployer-*.tar.gz | head -1)"


echo "[examples] README's embedding example as an outside project: compiles with only the BOM, dependencies converge"
outside="$root/target/outside-embedder"
rm -rf "$outside"
mkdir -p "$outside/src/main/java/io/ployer/examples"
cp ployer-examples/outside-embedder/pom.xml "$outside/pom.xml"
cp ployer-examples/src/main/java/io/ployer/examples/ReadmeExample.java "$outside/src/main/java/io/ployer/examples/"
mvn "${consumer[@]}" -f "$outside/pom.xml" verify
