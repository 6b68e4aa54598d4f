package main

// A container's environment as the kubelet builds it: envFrom first, then
// env (later entries win and may refer to earlier ones as $(NAME)), values
// from Secrets, ConfigMaps and the pod's own fields read from the API. The
// error messages are the kubelet's, since they end up in the container's
// CreateContainerConfigError status.

import (
	"context"
	"fmt"
	"sort"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/kubernetes/third_party/forked/golang/expansion"
)

type envSource struct {
	ctx     context.Context
	k       *kubelet
	pod     *v1.Pod
	secrets map[string]*v1.Secret
	cms     map[string]*v1.ConfigMap
}

func (s *envSource) secret(name string) (*v1.Secret, error) {
	if sec, ok := s.secrets[name]; ok {
		return sec, nil
	}
	sec, err := s.k.client.CoreV1().Secrets(s.pod.Namespace).Get(s.ctx, name, metav1.GetOptions{})
	if err != nil {
		if apierrors.IsNotFound(err) {
			return nil, fmt.Errorf("secret %q not found", name)
		}
		return nil, err
	}
	s.secrets[name] = sec
	return sec, nil
}

func (s *envSource) configMap(name string) (*v1.ConfigMap, error) {
	if cm, ok := s.cms[name]; ok {
		return cm, nil
	}
	cm, err := s.k.client.CoreV1().ConfigMaps(s.pod.Namespace).Get(s.ctx, name, metav1.GetOptions{})
	if err != nil {
		if apierrors.IsNotFound(err) {
			return nil, fmt.Errorf("configmap %q not found", name)
		}
		return nil, err
	}
	s.cms[name] = cm
	return cm, nil
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
	s := &envSource{ctx: ctx, k: k, pod: pod, secrets: map[string]*v1.Secret{}, cms: map[string]*v1.ConfigMap{}}
	vars := map[string]string{}
	var order []string
	set := func(name, value string) {
		if _, ok := vars[name]; !ok {
			order = append(order, name)
		}
		vars[name] = value
	}
	for _, from := range c.EnvFrom {
		var data map[string]string
		switch {
		case from.SecretRef != nil:
			sec, err := s.secret(from.SecretRef.Name)
			if err != nil {
				if optional(from.SecretRef.Optional) {
					continue
				}
				return nil, nil, err
			}
			data = map[string]string{}
			for key, v := range sec.Data {
				data[key] = string(v)
			}
		case from.ConfigMapRef != nil:
			cm, err := s.configMap(from.ConfigMapRef.Name)
			if err != nil {
				if optional(from.ConfigMapRef.Optional) {
					continue
				}
				return nil, nil, err
			}
			data = cm.Data
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
			case from.SecretKeyRef != nil:
				ref := from.SecretKeyRef
				sec, err := s.secret(ref.Name)
				if err != nil {
					if optional(ref.Optional) {
						continue
					}
					return nil, nil, err
				}
				v, ok := sec.Data[ref.Key]
				if !ok {
					if optional(ref.Optional) {
						continue
					}
					return nil, nil, fmt.Errorf("couldn't find key %s in Secret %s/%s", ref.Key, pod.Namespace, ref.Name)
				}
				value = string(v)
			case from.ConfigMapKeyRef != nil:
				ref := from.ConfigMapKeyRef
				cm, err := s.configMap(ref.Name)
				if err != nil {
					if optional(ref.Optional) {
						continue
					}
					return nil, nil, err
				}
				v, ok := cm.Data[ref.Key]
				if !ok {
					if optional(ref.Optional) {
						continue
					}
					return nil, nil, fmt.Errorf("couldn't find key %s in ConfigMap %s/%s", ref.Key, pod.Namespace, ref.Name)
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
