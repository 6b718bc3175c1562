//go:build tools

// Keeps the built command's packages in go.mod and go.sum.
package tools

import _ "go.etcd.io/etcd/server/v3"
