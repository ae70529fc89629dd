package main

// The suite talks HTTPS to real deployments, also from the kit's container
// image, which is built FROM scratch and so has no system certificate
// store. This bundle of the Mozilla root CAs, maintained by the Go team, is
// used only where the system has no roots of its own: elsewhere the
// system's store (and SSL_CERT_FILE, and -ca-file) decide as before.
import _ "golang.org/x/crypto/x509roots/fallback"
