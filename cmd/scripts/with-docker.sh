#!/usr/bin/env bash
# with-docker.sh COMMAND...: runs COMMAND with a Docker daemon and Docker
# Compose at hand. .ci/run uses it through make ci-test-image.
#
# A daemon that answers is used as it is. Otherwise, as on our CI machines,
# it installs Debian's docker.io with apt-get where dockerd is missing,
# starts dockerd itself and stops it again, by its PID, when COMMAND ends.
# Where neither docker compose nor docker-compose is present it installs
# Debian's docker-compose. When it cannot provide these it fails, and
# COMMAND does not run.
set -euo pipefail

log() { echo "with-docker: $*" >&2; }

apt_install() {
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		log "cannot install $* (needs root and apt-get); nothing was run"
		exit 1
	fi
	log "installing $* with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

dockerd_pid=""
dockerd_log=""
stop_dockerd() {
	if [ -z "$dockerd_pid" ]; then
		return 0
	fi
	log "stopping the dockerd it started (pid $dockerd_pid)"
	kill -TERM "$dockerd_pid" 2>/dev/null || return 0
	for _ in $(seq 60); do
		kill -0 "$dockerd_pid" 2>/dev/null || return 0
		sleep 0.5
	done
	log "dockerd (pid $dockerd_pid) did not stop within 30s; killing it"
	kill -KILL "$dockerd_pid" 2>/dev/null || true
}
trap stop_dockerd EXIT
trap 'exit 130' INT TERM

if docker version >/dev/null 2>&1; then
	log "using the Docker daemon that answers"
else
	command -v dockerd >/dev/null || apt_install docker.io
	dockerd_log=$(mktemp "${TMPDIR:-/tmp}/with-docker-dockerd.XXXXXX.log")
	log "starting dockerd (log: $dockerd_log)"
	dockerd >"$dockerd_log" 2>&1 &
	dockerd_pid=$!
	for i in $(seq 120); do
		if docker version >/dev/null 2>&1; then
			break
		fi
		if ! kill -0 "$dockerd_pid" 2>/dev/null; then
			dockerd_pid=""
			log "dockerd exited at start; its log ends:"
			tail -n 20 "$dockerd_log" >&2
			exit 1
		fi
		if [ "$i" = 120 ]; then
			log "dockerd does not answer after 60s; its log ends:"
			tail -n 20 "$dockerd_log" >&2
			exit 1
		fi
		sleep 0.5
	done
	log "dockerd is up (pid $dockerd_pid)"
fi

if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
	apt_install docker-compose
fi

status=0
"$@" || status=$?
exit "$status"
