package main

// The part of the kubelet's API that the API server proxies pods/log to:
// GET /containerLogs/{namespace}/{pod}/{container} on https://127.0.0.1:10250,
// answered from the Docker engine's logs of that container. Only the API
// server's client certificate (signed by this run's CA) is let in.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"k8s.io/klog/v2"
)

func (k *kubelet) serveKubeletAPI(ctx context.Context) error {
	pool := x509.NewCertPool()
	pool.AddCert(k.pki.ca.cert)
	cert, err := tls.X509KeyPair(k.pki.kubeletCert.certPEM, k.pki.kubeletCert.keyPEM)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("/containerLogs/", k.containerLogs)
	l, err := net.Listen("tcp", fmt.Sprintf("%s:%d", host, kubeletPort))
	if err != nil {
		return fmt.Errorf("kubelet API: %w", err)
	}
	srv := &http.Server{
		Handler: mux,
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			ClientCAs:    pool,
			ClientAuth:   tls.RequireAndVerifyClientCert,
			MinVersion:   tls.VersionTLS12,
		},
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		if err := srv.ServeTLS(l, "", ""); err != nil && err != http.ErrServerClosed {
			klog.Errorf("kubelet API: %v", err)
		}
	}()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return nil
}

func (k *kubelet) containerLogs(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/containerLogs/"), "/")
	if len(parts) != 3 {
		http.Error(w, "expected /containerLogs/{namespace}/{pod}/{container}", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	name := containerName(parts[0], parts[1], parts[2])
	if q.Get("previous") == "true" {
		name += "_previous"
	}
	info, err := k.docker.inspectContainer(r.Context(), name)
	if err != nil {
		if isNotFound(err) {
			http.Error(w, fmt.Sprintf("container %q in pod %q is waiting to start or has no logs on %s", parts[2], parts[1], nodeName), http.StatusNotFound)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	dq := url.Values{}
	follow := q.Get("follow") == "true"
	if follow {
		dq.Set("follow", "true")
	}
	if q.Get("timestamps") == "true" {
		dq.Set("timestamps", "true")
	}
	if n := q.Get("tailLines"); n != "" {
		dq.Set("tail", n)
	}
	if s := q.Get("sinceSeconds"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			dq.Set("since", strconv.FormatInt(time.Now().Add(-time.Duration(n)*time.Second).Unix(), 10))
		}
	}
	if s := q.Get("sinceTime"); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			dq.Set("since", strconv.FormatInt(t.Unix(), 10))
		}
	}
	body, err := k.docker.logs(r.Context(), info.ID, dq)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", "text/plain")
	var out io.Writer = w
	if n, err := strconv.ParseInt(q.Get("limitBytes"), 10, 64); err == nil && n > 0 {
		out = &limitWriter{w: w, n: n}
	}
	var flush func()
	if f, ok := w.(http.Flusher); ok && follow {
		flush = f.Flush
	}
	if info.Config.Tty {
		_, _ = io.Copy(out, body)
		return
	}
	_ = demux(out, body, flush)
}

type limitWriter struct {
	w io.Writer
	n int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.w.Write(p)
	l.n -= int64(n)
	return n, err
}
