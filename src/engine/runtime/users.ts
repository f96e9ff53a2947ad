// Resolving `--user` / Config.User against the container's /etc/passwd and /etc/group,
// as runc's user.GetExecUser does (the daemon passes numeric IDs to the runtime).

export interface ExecUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split("\n")
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 7 && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!))
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! }));
}

function parseGroup(text: string): GroupEntry[] {
  return text
    .split("\n")
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]!))
    .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: f[3]! ? f[3]!.split(",") : [] }));
}

export class UserError extends Error {}

const MAX_ID = 2 ** 31 - 1;

export function resolveUser(spec: string, passwdText: string | null, groupText: string | null): ExecUser {
  const passwd = parsePasswd(passwdText ?? "");
  const groups = parseGroup(groupText ?? "");
  const [userPart = "", groupPart] = spec.split(":", 2);
  let uid = 0;
  let gid = 0;
  let home = "/";
  let name: string | undefined;
  const u = userPart === "" ? passwd.find((p) => p.uid === 0) : passwd.find((p) => p.name === userPart || String(p.uid) === userPart);
  if (userPart === "") {
    if (u) ({ uid, gid, home, name } = { ...u });
  } else if (u && (u.name === userPart || !/^\d+$/.test(userPart) || u.uid === Number(userPart))) {
    uid = u.uid;
    gid = u.gid;
    home = u.home;
    name = u.name;
  } else if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    if (uid > MAX_ID) throw new UserError(`uids and gids must be in range 0-${MAX_ID}`);
  } else {
    if (!passwdText) throw new UserError(`unable to find user ${userPart}: no matching entries in passwd file`);
    throw new UserError(`unable to find user ${userPart}: no matching entries in passwd file`);
  }
  if (groupPart !== undefined && groupPart !== "") {
    const g = groups.find((x) => x.name === groupPart || String(x.gid) === groupPart);
    if (g) gid = g.gid;
    else if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else throw new UserError(`unable to find group ${groupPart}: no matching entries in group file`);
  }
  // Supplementary groups: the primary group (runc sets it too, so `id` shows it under groups=),
  // then /etc/group memberships, only when no group was named.
  const member = groupPart === undefined && name !== undefined ? groups.filter((g) => g.members.includes(name!) && g.gid !== gid).map((g) => g.gid) : [];
  const additionalGids = [gid, ...member];
  return { uid, gid, additionalGids, home };
}

/** runc's GetAdditionalGroups (--group-add): each a group name or GID of /etc/group, or any number. */
export function additionalGroups(groupAdd: readonly string[], groupText: string | null): number[] {
  const groups = parseGroup(groupText ?? "");
  const out = new Set<number>();
  for (const ag of groupAdd) {
    const g = groups.find((x) => x.name === ag || String(x.gid) === ag);
    if (g) out.add(g.gid);
    else if (/^[+-]?\d+$/.test(ag) && Number(ag) >= 0 && Number(ag) <= MAX_ID) out.add(Number(ag));
    else if (/^[+-]?\d+$/.test(ag)) throw new UserError(`uids and gids must be in range 0-${MAX_ID}`);
    else throw new UserError(`Unable to find group ${ag}: no matching entries in group file`);
  }
  return [...out];
}
