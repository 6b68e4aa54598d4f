// Command k8s runs a small Kubernetes control plane for safe-deploy's tests,
// in one process and on 127.0.0.1 only: a real etcd (embedded), a real
// kube-apiserver (k8s.io/kubernetes, https on 127.0.0.1:6443), the real
// deployment, replicaset, job, garbage-collector, namespace, service-account
// and ttl-after-finished controllers, and a stand-in for the kubelet of one
// node, node-1, that runs each pod's containers on the local Docker engine.
//
// It writes admin.kubeconfig, deployer.kubeconfig, control-plane.log and,
// once everything serves, ready into $SAFE_DEPLOY_STATE_DIR/k8s (default
// /tmp/safe-deploy-services/k8s). Every start is a fresh cluster: etcd's
// data and the credentials of the previous run are discarded.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/klog/v2"
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
)

const (
	nodeName = "node-1"
	host     = "127.0.0.1"
)

// The ports the tests know. A second instance (to try a change to this
// program while the tests use the first) takes others with -port-offset.
var (
	apiPort        = 6443
	kubeletPort    = 10250
	etcdClientPort = 12379
	etcdPeerPort   = 12380
)

func main() {
	defaultState := os.Getenv("SAFE_DEPLOY_STATE_DIR")
	if defaultState == "" {
		defaultState = "/tmp/safe-deploy-services"
	}
	stateDir := flag.String("state-dir", defaultState, "services state directory; this program uses <state-dir>/k8s")
	dockerSock := flag.String("docker-socket", "/var/run/docker.sock", "Docker Engine API socket the kubelet stand-in runs containers with")
	verbosity := flag.Int("v", 0, "log verbosity of the Kubernetes components")
	offset := flag.Int("port-offset", 0, "added to every port (6443, 10250, 12379, 12380), for a second instance")
	flag.Parse()
	apiPort += *offset
	kubeletPort += *offset
	etcdClientPort += *offset
	etcdPeerPort += *offset

	dir := filepath.Join(*stateDir, "k8s")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fatal(err)
	}
	readyFile := filepath.Join(dir, "ready")
	_ = os.Remove(readyFile)
	pidFile := filepath.Join(dir, "pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		fatal(err)
	}
	if err := redirectOutput(filepath.Join(dir, "control-plane.log")); err != nil {
		fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	etcd, err := startEtcd(filepath.Join(dir, "etcd"))
	if err != nil {
		fatal(fmt.Errorf("etcd: %w", err))
	}
	defer etcd.Close()

	p, err := makePKI(filepath.Join(dir, "pki"))
	if err != nil {
		fatal(fmt.Errorf("certificates: %w", err))
	}

	apiErr := make(chan error, 1)
	go func() { apiErr <- runAPIServer(p, *verbosity) }()

	admin := restConfig(p, p.adminToken)
	client := kubernetes.NewForConfigOrDie(admin)
	if err := waitReady(ctx, client, apiErr); err != nil {
		fatal(err)
	}
	for _, u := range []struct{ file, context, user, token string }{
		{"admin.kubeconfig", "safe-deploy-test", "admin", p.adminToken},
		{"deployer.kubeconfig", "safe-deploy-deployer", "deployer", p.deployerToken},
	} {
		if err := writeKubeconfig(filepath.Join(dir, u.file), p, u.context, u.user, u.token); err != nil {
			fatal(err)
		}
	}
	klog.Infof("kube-apiserver ready on https://%s:%d", host, apiPort)

	if err := startControllers(ctx, admin); err != nil {
		fatal(fmt.Errorf("controllers: %w", err))
	}
	kl, err := newKubelet(ctx, admin, p, *dockerSock)
	if err != nil {
		fatal(fmt.Errorf("kubelet stand-in: %w", err))
	}
	if err := kl.start(ctx); err != nil {
		fatal(fmt.Errorf("kubelet stand-in: %w", err))
	}
	if err := os.WriteFile(readyFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		fatal(err)
	}
	klog.Infof("control plane ready; kubeconfigs in %s", dir)

	select {
	case <-ctx.Done():
		klog.Info("stopping")
	case err := <-apiErr:
		klog.Errorf("kube-apiserver stopped: %v", err)
	}
	_ = os.Remove(readyFile)
	stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	kl.removeAllContainers(stopCtx)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "k8s control plane:", err)
	klog.Flush()
	os.Exit(1)
}

// redirectOutput sends this process's stdout and stderr (where klog, etcd
// and the API server write) to the log file.
func redirectOutput(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if err := syscall.Dup3(int(f.Fd()), 1, 0); err != nil {
		return err
	}
	return syscall.Dup3(int(f.Fd()), 2, 0)
}

func startEtcd(dataDir string) (*embed.Etcd, error) {
	if err := os.RemoveAll(dataDir); err != nil {
		return nil, err
	}
	cfg := embed.NewConfig()
	cfg.Name = "safe-deploy-test"
	cfg.Dir = dataDir
	client := url.URL{Scheme: "http", Host: fmt.Sprintf("%s:%d", host, etcdClientPort)}
	peer := url.URL{Scheme: "http", Host: fmt.Sprintf("%s:%d", host, etcdPeerPort)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "warn"
	// A throw-away test store: losing the last writes on a crash is fine,
	// and fsync on a disk shared by several engineers is slow.
	cfg.UnsafeNoFsync = true
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, fmt.Errorf("not ready after 60s")
	}
}

func runAPIServer(p *pki, verbosity int) error {
	cmd := apiserverapp.NewAPIServerCommand()
	cmd.SetArgs([]string{
		fmt.Sprintf("--etcd-servers=http://%s:%d", host, etcdClientPort),
		"--bind-address=" + host,
		"--advertise-address=" + host,
		fmt.Sprintf("--secure-port=%d", apiPort),
		"--tls-cert-file=" + p.apiserverCert,
		"--tls-private-key-file=" + p.apiserverKey,
		"--client-ca-file=" + p.caFile,
		"--token-auth-file=" + p.tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + p.saPubFile,
		"--service-account-signing-key-file=" + p.saKeyFile,
		"--service-cluster-ip-range=10.0.0.0/24",
		// The kubernetes Service cannot list a loopback address as its endpoint.
		"--endpoint-reconciler-type=none",
		"--allow-privileged=true",
		"--kubelet-client-certificate=" + p.kubeletClientCert,
		"--kubelet-client-key=" + p.kubeletClientKey,
		"--kubelet-certificate-authority=" + p.caFile,
		"--kubelet-preferred-address-types=InternalIP",
		"--cert-dir=" + p.dir,
		"--profiling=false",
		fmt.Sprintf("--v=%d", verbosity),
	})
	return cmd.Execute()
}

func restConfig(p *pki, token string) *rest.Config {
	return &rest.Config{
		Host:            fmt.Sprintf("https://%s:%d", host, apiPort),
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{CAData: p.ca.certPEM},
		QPS:             200,
		Burst:           400,
	}
}

func waitReady(ctx context.Context, client kubernetes.Interface, apiErr <-chan error) error {
	deadline := time.After(3 * time.Minute)
	for {
		status := 0
		client.Discovery().RESTClient().Get().AbsPath("/readyz").Do(ctx).StatusCode(&status)
		if status == 200 {
			return nil
		}
		select {
		case err := <-apiErr:
			return fmt.Errorf("kube-apiserver exited: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("kube-apiserver not ready after 3 minutes (last /readyz status %d)", status)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func writeKubeconfig(path string, p *pki, contextName, user, token string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["safe-deploy-test"] = &clientcmdapi.Cluster{
		Server:                   fmt.Sprintf("https://%s:%d", host, apiPort),
		CertificateAuthorityData: p.ca.certPEM,
	}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts[contextName] = &clientcmdapi.Context{Cluster: "safe-deploy-test", AuthInfo: user}
	cfg.CurrentContext = contextName
	tmp := path + ".tmp"
	if err := clientcmd.WriteToFile(*cfg, tmp); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
