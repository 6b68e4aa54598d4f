package main

// A container's environment as the kubelet builds it: envFrom first, then
// env (later entries win and may refer to earlier ones as $(NAME)), values
// from Secrets, ConfigMaps and the pod's own fields read from the API. The
// error messages are the kubelet's, since they end up in the container's
// CreateContainerConfigError status.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/kubernetes/third_party/forked/golang/expansion"
)

type envSource struct {
	ctx   context.Context
	k     *kubelet
	pod   *v1.Pod
	cache map[string]map[string]string
}

// data is the content of a Secret (kind "Secret") or a ConfigMap in the
// pod's namespace, read once per container start.
func (s *envSource) data(kind, name string) (map[string]string, error) {
	key := kind + "/" + name
	if d, ok := s.cache[key]; ok {
		return d, nil
	}
	d := map[string]string{}
	var err error
	if kind == "Secret" {
		var sec *v1.Secret
		if sec, err = s.k.client.CoreV1().Secrets(s.pod.Namespace).Get(s.ctx, name, metav1.GetOptions{}); err == nil {
			for k, v := range sec.Data {
				d[k] = string(v)
			}
		}
	} else {
		var cm *v1.ConfigMap
		if cm, err = s.k.client.CoreV1().ConfigMaps(s.pod.Namespace).Get(s.ctx, name, metav1.GetOptions{}); err == nil {
			d = cm.Data
		}
	}
	if apierrors.IsNotFound(err) {
		return nil, fmt.Errorf("%s %q not found", strings.ToLower(kind), name)
	}
	if err != nil {
		return nil, err
	}
	s.cache[key] = d
	return d, nil
}

// keyRef is one key of a Secret or ConfigMap; found is false when an
// optional reference points at nothing.
func (s *envSource) keyRef(kind, name, key string, opt *bool) (value string, found bool, err error) {
	d, err := s.data(kind, name)
	if err != nil {
		if optional(opt) {
			return "", false, nil
		}
		return "", false, err
	}
	v, ok := d[key]
	if !ok {
		if optional(opt) {
			return "", false, nil
		}
		return "", false, fmt.Errorf("couldn't find key %s in %s %s/%s", key, kind, s.pod.Namespace, name)
	}
	return v, true, nil
}

func optional(b *bool) bool { return b != nil && *b }

func (s *envSource) fieldRef(path string) (string, error) {
	pod := s.pod
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "spec.nodeName":
		return nodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.hostIP", "status.podIP", "status.hostIPs", "status.podIPs":
		return host, nil
	}
	var key string
	if n, _ := fmt.Sscanf(path, "metadata.labels['%s", &key); n == 1 && len(key) > 2 {
		return pod.Labels[key[:len(key)-2]], nil
	}
	if n, _ := fmt.Sscanf(path, "metadata.annotations['%s", &key); n == 1 && len(key) > 2 {
		return pod.Annotations[key[:len(key)-2]], nil
	}
	return "", fmt.Errorf("unsupported fieldRef %q (safe-deploy's kubelet stand-in)", path)
}

// containerEnv returns the environment as NAME=value lines and as a map
// (for $(NAME) expansion in command and args). PORT is always the port this
// node gave the container: the stand-in runs pods on the host network, so
// two pods of one Deployment must not listen on the same port.
func (k *kubelet) containerEnv(ctx context.Context, pod *v1.Pod, c *v1.Container, port int) ([]string, map[string]string, error) {
	s := &envSource{ctx: ctx, k: k, pod: pod, cache: map[string]map[string]string{}}
	vars := map[string]string{}
	var order []string
	set := func(name, value string) {
		if _, ok := vars[name]; !ok {
			order = append(order, name)
		}
		vars[name] = value
	}
	for _, from := range c.EnvFrom {
		kind, name, opt := "ConfigMap", "", (*bool)(nil)
		switch {
		case from.SecretRef != nil:
			kind, name, opt = "Secret", from.SecretRef.Name, from.SecretRef.Optional
		case from.ConfigMapRef != nil:
			name, opt = from.ConfigMapRef.Name, from.ConfigMapRef.Optional
		default:
			continue
		}
		data, err := s.data(kind, name)
		if err != nil {
			if optional(opt) {
				continue
			}
			return nil, nil, err
		}
		keys := make([]string, 0, len(data))
		for key := range data {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			name := from.Prefix + key
			if len(validation.IsEnvVarName(name)) > 0 {
				continue
			}
			set(name, data[key])
		}
	}
	mapping := expansion.MappingFuncFor(vars)
	for _, e := range c.Env {
		value := e.Value
		if value != "" {
			value = expansion.Expand(value, mapping)
		}
		if from := e.ValueFrom; from != nil {
			switch {
			case from.SecretKeyRef != nil, from.ConfigMapKeyRef != nil:
				kind, name, key, opt := "Secret", "", "", (*bool)(nil)
				if r := from.SecretKeyRef; r != nil {
					name, key, opt = r.Name, r.Key, r.Optional
				} else {
					r := from.ConfigMapKeyRef
					kind, name, key, opt = "ConfigMap", r.Name, r.Key, r.Optional
				}
				v, found, err := s.keyRef(kind, name, key, opt)
				if err != nil {
					return nil, nil, err
				}
				if !found {
					continue
				}
				value = v
			case from.FieldRef != nil:
				v, err := s.fieldRef(from.FieldRef.FieldPath)
				if err != nil {
					return nil, nil, err
				}
				value = v
			case from.ResourceFieldRef != nil:
				r := from.ResourceFieldRef
				q := c.Resources.Limits[v1.ResourceName(r.Resource[len("limits."):])]
				if len(r.Resource) > len("requests.") && r.Resource[:len("requests.")] == "requests." {
					q = c.Resources.Requests[v1.ResourceName(r.Resource[len("requests."):])]
				}
				value = q.String()
			}
		}
		set(e.Name, value)
	}
	set("PORT", fmt.Sprint(port))
	lines := make([]string, 0, len(order))
	for _, name := range order {
		lines = append(lines, name+"="+vars[name])
	}
	return lines, vars, nil
}

// registryHost is the registry part of an image reference, as Docker reads
// it: the first path element when it names a host, else Docker Hub.
func registryHost(ref string) string {
	first, _, found := strings.Cut(ref, "/")
	if found && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return first
	}
	return "docker.io"
}

// pullAuth returns the engine's X-Registry-Auth value for ref from the pod's
// imagePullSecrets (kubernetes.io/dockerconfigjson), or "" for none.
func (k *kubelet) pullAuth(ctx context.Context, pod *v1.Pod, ref string) string {
	host := registryHost(ref)
	for _, ps := range pod.Spec.ImagePullSecrets {
		sec, err := k.client.CoreV1().Secrets(pod.Namespace).Get(ctx, ps.Name, metav1.GetOptions{})
		if err != nil || sec.Type != v1.SecretTypeDockerConfigJson {
			continue
		}
		var cfg struct {
			Auths map[string]struct {
				Username string `json:"username"`
				Password string `json:"password"`
				Auth     string `json:"auth"`
			} `json:"auths"`
		}
		if json.Unmarshal(sec.Data[v1.DockerConfigJsonKey], &cfg) != nil {
			continue
		}
		for server, a := range cfg.Auths {
			server = strings.TrimPrefix(strings.TrimPrefix(server, "https://"), "http://")
			server, _, _ = strings.Cut(server, "/")
			if server != host {
				continue
			}
			user, pass := a.Username, a.Password
			if user == "" && a.Auth != "" {
				if raw, err := base64.StdEncoding.DecodeString(a.Auth); err == nil {
					user, pass, _ = strings.Cut(string(raw), ":")
				}
			}
			b, _ := json.Marshal(map[string]string{"username": user, "password": pass, "serveraddress": host})
			return base64.URLEncoding.EncodeToString(b)
		}
	}
	return ""
}
