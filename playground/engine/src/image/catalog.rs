//! The images Docker Hub holds in the simulation: hello-world, busybox,
//! alpine, ubuntu, nginx, redis, python. Their files are small stand-ins; their
//! reported sizes are the real images'.

use std::collections::BTreeMap;

use crate::fs::dirs_for;
use crate::state::{Fs, History, Image, ImageConfig, Layer, Node, State};
use crate::util::sha256_hex;

/// When the catalog's images were "created" (2025-06-01).
const CATALOG_MS: u64 = 1_748_736_000_000;

fn file(fs: &mut Fs, path: &str, data: &str) {
    dirs_for(fs, path);
    fs.insert(path.to_string(), Node::File { data: data.to_string() });
}

fn link(fs: &mut Fs, path: &str, target: &str) {
    dirs_for(fs, path);
    fs.insert(path.to_string(), Node::Link { target: target.to_string() });
}

fn dir(fs: &mut Fs, path: &str) {
    dirs_for(fs, path);
    fs.insert(path.to_string(), Node::Dir);
}

fn base_dirs(fs: &mut Fs) {
    for d in
        ["/bin", "/dev", "/etc", "/home", "/proc", "/root", "/sys", "/tmp", "/usr", "/var", "/usr/bin", "/usr/sbin"]
    {
        dir(fs, d);
    }
    file(
        fs,
        "/etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
    );
    file(fs, "/etc/group", "root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nnogroup:x:65534:\n");
}

fn busybox_files(fs: &mut Fs) {
    base_dirs(fs);
    file(fs, "/bin/busybox", "#!sim:busybox");
    for applet in crate::programs::busybox::applet_names() {
        link(fs, &format!("/bin/{applet}"), "/bin/busybox");
    }
}

fn layer(files: Fs, size: u64, salt: &str) -> Layer {
    let text = serde_json::to_string(&files).unwrap_or_default();
    Layer { digest: format!("sha256:{}", sha256_hex(format!("{salt}\n{text}").as_bytes())), files, size }
}

/// Computes an image's id from its content.
pub fn image_id(layers: &[String], config: &ImageConfig, parent: &str, created_ms: u64) -> String {
    let text = serde_json::to_string(&(layers, config, parent, created_ms)).unwrap_or_default();
    format!("sha256:{}", sha256_hex(text.as_bytes()))
}

fn env(path: &str, extra: &[&str]) -> Vec<String> {
    let mut v = vec![format!("PATH={path}")];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The nginx welcome page.
pub const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n";

struct Def {
    repo: &'static str,
    tags: &'static [&'static str],
    layers: Vec<(Fs, u64)>,
    config: ImageConfig,
    history: Vec<&'static str>,
}

/// The catalog: the small images, then the ones on Debian.
fn defs() -> Vec<Def> {
    let mut out = small_defs();
    out.extend(debian_defs());
    out
}

/// `hello-world`, `busybox`, `alpine`, `ubuntu`.
fn small_defs() -> Vec<Def> {
    let mut out = Vec::new();

    let mut hello = Fs::new();
    file(&mut hello, "/hello", "#!sim:hello");
    out.push(Def {
        repo: "hello-world",
        tags: &["latest"],
        layers: vec![(hello, 13_256)],
        config: ImageConfig { cmd: vec!["/hello".into()], env: env(PATH, &[]), ..Default::default() },
        history: vec!["COPY hello / # buildkit", "CMD [\"/hello\"]"],
    });

    let mut bb = Fs::new();
    busybox_files(&mut bb);
    out.push(Def {
        repo: "busybox",
        tags: &["latest", "1.36", "1.37"],
        layers: vec![(bb, 4_277_910)],
        config: ImageConfig {
            cmd: vec!["sh".into()],
            env: env("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", &[]),
            ..Default::default()
        },
        history: vec!["ADD busybox.tar.xz / # buildkit", "CMD [\"sh\"]"],
    });

    let mut alp = Fs::new();
    busybox_files(&mut alp);
    file(&mut alp, "/etc/alpine-release", "3.22.0\n");
    file(
        &mut alp,
        "/etc/os-release",
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.22.0\nPRETTY_NAME=\"Alpine Linux v3.22\"\n",
    );
    file(&mut alp, "/sbin/apk", "#!sim:apk");
    for d in ["/lib", "/media", "/mnt", "/opt", "/run", "/sbin", "/srv"] {
        dir(&mut alp, d);
    }
    out.push(Def {
        repo: "alpine",
        tags: &["latest", "3.22", "3"],
        layers: vec![(alp, 8_310_000)],
        config: ImageConfig { cmd: vec!["/bin/sh".into()], env: env(PATH, &[]), ..Default::default() },
        history: vec!["ADD alpine-minirootfs-3.22.0-x86_64.tar.gz / # buildkit", "CMD [\"/bin/sh\"]"],
    });

    // hello-world's text suggests `docker run -it ubuntu bash`: a stand-in
    // whose bash is the simulation's shell under bash's name.
    let mut ubu = Fs::new();
    busybox_files(&mut ubu);
    link(&mut ubu, "/bin/bash", "/bin/busybox");
    file(&mut ubu, "/etc/debian_version", "trixie/sid\n");
    file(
        &mut ubu,
        "/etc/os-release",
        "PRETTY_NAME=\"Ubuntu 24.04.2 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nVERSION=\"24.04.2 LTS (Noble Numbat)\"\nID=ubuntu\nID_LIKE=debian\n",
    );
    for d in ["/lib", "/media", "/mnt", "/opt", "/run", "/sbin", "/srv", "/boot"] {
        dir(&mut ubu, d);
    }
    out.push(Def {
        repo: "ubuntu",
        tags: &["latest", "24.04", "noble"],
        layers: vec![(ubu, 78_100_000)],
        config: ImageConfig { cmd: vec!["/bin/bash".into()], env: env(PATH, &[]), ..Default::default() },
        history: vec![
            "ARG RELEASE",
            "ARG LAUNCHPAD_BUILD_ARCH",
            "LABEL org.opencontainers.image.ref.name=ubuntu",
            "LABEL org.opencontainers.image.version=24.04",
            "ADD file:1d7c45546e94b90e941c5bf5c7a5ad7b7ec4b2ab1d24dc8ed2ecbbd8f3ff6ac7 in / ",
            "CMD [\"/bin/bash\"]",
        ],
    });

    out
}

/// `nginx`, `redis` and `python`, on one Debian layer.
fn debian_defs() -> Vec<Def> {
    let mut out = Vec::new();
    let mut deb = Fs::new();
    busybox_files(&mut deb);
    // Debian has bash, and `docker exec -it web bash` is what most
    // tutorials type: the simulation's shell under bash's name, as on ubuntu.
    link(&mut deb, "/bin/bash", "/bin/busybox");
    file(
        &mut deb,
        "/etc/os-release",
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nID=debian\n",
    );
    for d in ["/lib", "/media", "/mnt", "/opt", "/run", "/sbin", "/srv", "/boot"] {
        dir(&mut deb, d);
    }
    let mut ngx = Fs::new();
    file(&mut ngx, "/usr/sbin/nginx", "#!sim:nginx");
    file(&mut ngx, "/docker-entrypoint.sh", "#!sim:entrypoint");
    dir(&mut ngx, "/docker-entrypoint.d");
    file(&mut ngx, "/usr/share/nginx/html/index.html", NGINX_INDEX);
    file(&mut ngx, "/usr/share/nginx/html/50x.html", "<h1>An error occurred.</h1>\n");
    file(
        &mut ngx,
        "/etc/nginx/nginx.conf",
        "user  nginx;\nworker_processes  auto;\nevents {\n    worker_connections  1024;\n}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n",
    );
    file(
        &mut ngx,
        "/etc/nginx/conf.d/default.conf",
        "server {\n    listen       80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n",
    );
    dir(&mut ngx, "/var/log/nginx");
    dir(&mut ngx, "/var/cache/nginx");
    let mut ngx2 = Fs::new();
    file(&mut ngx2, "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", "#!/bin/sh\n");
    out.push(Def {
        repo: "nginx",
        tags: &["latest", "1.29", "stable"],
        layers: vec![(deb.clone(), 74_800_000), (ngx, 112_000_000), (ngx2, 3_000)],
        config: ImageConfig {
            cmd: vec!["nginx".into(), "-g".into(), "daemon off;".into()],
            entrypoint: vec!["/docker-entrypoint.sh".into()],
            env: env(PATH, &["NGINX_VERSION=1.29.0"]),
            exposed_ports: ["80/tcp".to_string()].into(),
            labels: BTreeMap::from([("maintainer".into(), "NGINX Docker Maintainers <docker-maint@nginx.com>".into())]),
            ..Default::default()
        },
        history: vec![
            "# debian.sh --arch 'amd64' out/ 'bookworm' '@1748736000'",
            "RUN /bin/sh -c set -x && apt-get install nginx # buildkit",
            "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit",
            "ENTRYPOINT [\"/docker-entrypoint.sh\"]",
            "EXPOSE map[80/tcp:{}]",
            "CMD [\"nginx\" \"-g\" \"daemon off;\"]",
        ],
    });

    let mut rds = Fs::new();
    file(&mut rds, "/usr/local/bin/redis-server", "#!sim:redis-server");
    file(&mut rds, "/usr/local/bin/redis-cli", "#!sim:redis-cli");
    file(&mut rds, "/usr/local/bin/docker-entrypoint.sh", "#!sim:entrypoint");
    dir(&mut rds, "/data");
    out.push(Def {
        repo: "redis",
        tags: &["latest", "8", "7"],
        layers: vec![(deb.clone(), 74_800_000), (rds, 42_300_000)],
        config: ImageConfig {
            cmd: vec!["redis-server".into()],
            entrypoint: vec!["docker-entrypoint.sh".into()],
            env: env(PATH, &["REDIS_VERSION=8.0.2"]),
            workdir: "/data".into(),
            exposed_ports: ["6379/tcp".to_string()].into(),
            volumes: ["/data".to_string()].into(),
            ..Default::default()
        },
        history: vec![
            "# debian.sh --arch 'amd64' out/ 'bookworm' '@1748736000'",
            "RUN /bin/sh -c set -eux; install redis # buildkit",
            "VOLUME [/data]",
            "WORKDIR /data",
            "ENTRYPOINT [\"docker-entrypoint.sh\"]",
            "EXPOSE map[6379/tcp:{}]",
            "CMD [\"redis-server\"]",
        ],
    });

    let mut py = Fs::new();
    file(&mut py, "/usr/local/bin/python3", "#!sim:python");
    link(&mut py, "/usr/local/bin/python", "/usr/local/bin/python3");
    file(&mut py, "/usr/local/bin/pip", "#!sim:pip");
    link(&mut py, "/usr/local/bin/pip3", "/usr/local/bin/pip");
    out.push(Def {
        repo: "python",
        tags: &["latest", "3.13", "3"],
        layers: vec![(deb, 74_800_000), (py, 945_000_000)],
        config: ImageConfig {
            cmd: vec!["python3".into()],
            env: env(PATH, &["LANG=C.UTF-8", "PYTHON_VERSION=3.13.5"]),
            ..Default::default()
        },
        history: vec![
            "# debian.sh --arch 'amd64' out/ 'bookworm' '@1748736000'",
            "RUN /bin/sh -c set -eux; install python # buildkit",
            "CMD [\"python3\"]",
        ],
    });
    out
}

/// Fills the registry of a fresh state with the catalog.
pub fn seed_registry(state: &mut State) {
    for def in defs() {
        let mut digests = Vec::new();
        let mut size = 0;
        let mut sizes = Vec::new();
        for (i, (files, sz)) in def.layers.into_iter().enumerate() {
            let l = layer(files, sz, &format!("{}#{i}", if i == 0 { "base" } else { def.repo }));
            digests.push(l.digest.clone());
            size += l.size;
            sizes.push(l.size);
            state.registry.blobs.insert(l.digest.clone());
            state.layers.entry(l.digest.clone()).or_insert(l);
        }
        let id = image_id(&digests, &def.config, "", CATALOG_MS);
        let manifest = sha256_hex(format!("manifest {id}").as_bytes());
        // Each instruction that made a layer has that layer's size, as
        // `docker history` shows it (the base layer too).
        let mut layer_sizes = sizes.into_iter();
        let history = def
            .history
            .iter()
            .map(|h| {
                let empty_layer =
                    !(h.starts_with("ADD") || h.starts_with("COPY") || h.starts_with("RUN") || h.starts_with('#'));
                History {
                    created_ms: CATALOG_MS,
                    created_by: h.to_string(),
                    empty_layer,
                    size: if empty_layer { 0 } else { layer_sizes.next().unwrap_or(0) },
                    comment: String::new(),
                }
            })
            .collect();
        let image = Image {
            id,
            parent: String::new(),
            layers: digests,
            config: def.config,
            created_ms: CATALOG_MS,
            size,
            history,
            repo_digests: vec![format!("{}@sha256:{manifest}", def.repo)],
            comment: String::new(),
            committed_from: None,
        };
        let repo = state.registry.repos.entry(def.repo.to_string()).or_default();
        for tag in def.tags {
            repo.insert(tag.to_string(), image.clone());
        }
    }
}
