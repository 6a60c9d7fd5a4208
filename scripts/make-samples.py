#!/usr/bin/env python3
"""Generate trailscan's bundled sample data and check the default rules.

Outputs, all under samples/ (paths relative to the repository root):

- AWSLogs/111122223333/CloudTrail/<region>/YYYY/MM/DD/*.json.gz: one account's
  trail over 2025-06-02 to 2025-06-19 (more than the 7-day learning period),
  with benign noise, GitHub Actions role assumptions and an intrusion on
  2025-06-11 that fires most default rules. One file is two gzip members
  back to back, one is `{"Records":[]}`.
- AWSLogs/111122223333/CloudTrail-Insight/...: an AwsCloudTrailInsight
  Start/End pair.
- AWSLogs/111122223333/CloudTrail-Digest/...: a digest file, which trailscan
  skips.
- AWSLogs/o-exampleorg1/<account>/CloudTrail/...: an organization trail for
  two member accounts. One of its log files is plain JSON, not gzip.
- stream/events.ndjson: CloudTrail records, one per line.
- stream/eventbridge.ndjson: EventBridge envelopes, one per line.
- trailscan.json: an example configuration.
- EXPECTED.md: how many records each rule in rules/ matches, per input.

Before writing anything the script checks every rule. Its pattern must use
only syntax that EventBridge accepts and fit the default EventBridge pattern
size quota (2,048 characters of compact JSON). Every `match` example must
match and no `no_match` example may. The public-address CIDR list of
AssumeRoleFromPublicAddress must be the exact complement of the private
ranges. After writing, it checks that eventIDs are unique and that every
rule fires on some sample record. Benign CI noise is trimmed so that the
samples hold exactly TOTAL_RECORDS records. Any surprise prints a message
and exits with status 1.

The output is deterministic: a fixed random seed, gzip headers with mtime 0
and no file name, and compact JSON with keys in insertion order. Running the
script twice with the same Python and zlib gives byte-identical files.

Usage: python3 scripts/make-samples.py   (from any directory; standard
library only)
"""

import datetime as dt
import gzip
import hashlib
import ipaddress
import json
import random
import re
import shutil
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
RULES = ROOT / "rules"

SEED = 20250602
rng = random.Random(SEED)

MAIN = "111122223333"
ORG_ID = "o-exampleorg1"
ORG_A = "444455556666"
ORG_B = "777788889999"
TRAIL = "management-trail"

# Records in samples/ (tree, Insights and both streams). The end-to-end tests
# (SampleScanTests) expect this total, so benign CI noise is trimmed to fit.
TOTAL_RECORDS = 301

# EventBridge rejects longer patterns unless the account has raised its
# adjustable "Event pattern size" quota (Amazon EventBridge quotas page).
MAX_PATTERN_CHARS = 2048

# The ranges AssumeRoleFromPublicAddress treats as private: RFC 1918, shared
# address space, loopback, link-local and "this network".
PRIVATE_V4 = [
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
    "127.0.0.0/8", "169.254.0.0/16", "0.0.0.0/8",
]
PUBLIC_V6 = ["2000::/3"]

DETAIL_TYPES = {
    "AwsApiCall": "AWS API Call via CloudTrail",
    "AwsConsoleSignIn": "AWS Console Sign In via CloudTrail",
    "AwsServiceEvent": "AWS Service Event via CloudTrail",
    "AwsConsoleAction": "AWS Console Action via CloudTrail",
    "AwsCloudTrailInsight": "AWS Insight via CloudTrail",
}

CLI = "aws-cli/2.17.5 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#{cmd}"
BOTO = "Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.131"
TERRAFORM = "APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) terraform-provider-aws/5.55.0 aws-sdk-go-v2/1.30.0 os/linux lang/go#1.22.4 md/GOOS#linux md/GOARCH#amd64"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
BROWSER_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"


# ---------------------------------------------------------------------------
# Identifiers and identities
# ---------------------------------------------------------------------------

def new_uuid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def alnum(n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"):
    return "".join(rng.choice(alphabet) for _ in range(n))


def stable_id(prefix, *parts):
    """Derive an IAM-style unique ID (AIDA..., AROA...) from a name, so the
    same principal always gets the same ID whatever the generation order."""
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest().upper()
    return prefix + "".join(c if c.isalnum() else "X" for c in digest)[:17]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def iam_user(acct, name, console=False, mfa=False, created=None):
    identity = {
        "type": "IAMUser",
        "principalId": stable_id("AIDA", acct, name),
        "arn": f"arn:aws:iam::{acct}:user/{name}",
        "accountId": acct,
        "accessKeyId": ("ASIA" if console else "AKIA") + stable_id("", acct, name, str(console))[:16],
        "userName": name,
    }
    if console:
        identity["sessionContext"] = {
            "sessionIssuer": {},
            "webIdFederationData": {},
            "attributes": {"creationDate": iso(created), "mfaAuthenticated": "true" if mfa else "false"},
        }
    return identity


def assumed_role(acct, role, session, created, mfa=False, path="/"):
    role_id = stable_id("AROA", acct, role)
    return {
        "type": "AssumedRole",
        "principalId": f"{role_id}:{session}",
        "arn": f"arn:aws:sts::{acct}:assumed-role/{role}/{session}",
        "accountId": acct,
        "accessKeyId": "ASIA" + stable_id("", acct, role, session)[:16],
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": role_id,
                "arn": f"arn:aws:iam::{acct}:role{path}{role}",
                "accountId": acct,
                "userName": role,
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": iso(created), "mfaAuthenticated": "true" if mfa else "false"},
        },
    }


def root(acct, with_key=True):
    identity = {"type": "Root", "principalId": acct, "arn": f"arn:aws:iam::{acct}:root", "accountId": acct}
    if with_key:
        identity["accessKeyId"] = ""
    return identity


def aws_service(service):
    return {"type": "AWSService", "invokedBy": service}


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------

READ_PREFIXES = ("Describe", "List", "Get", "Lookup", "Head")


def host_header(service, region):
    if service == "signin":
        return "signin.aws.amazon.com" if region == "us-east-1" else f"{region}.signin.aws.amazon.com"
    if service in ("iam", "sts") and region == "us-east-1":
        return f"{service}.amazonaws.com"
    if service == "s3":
        return f"s3.{region}.amazonaws.com"
    return f"{service}.{region}.amazonaws.com"


def record(t, acct, identity, service, name, region, ip, agent, request=None, response=None, *,
           event_type="AwsApiCall", error=None, additional=None, resources=None, shared=False,
           version="1.08", tls=True, console=False, service_details=None):
    """Build one CloudTrail record with its keys in CloudTrail's usual order."""
    r = {"eventVersion": version}
    if identity is not None:
        r["userIdentity"] = identity
    r["eventTime"] = iso(t)
    r["eventSource"] = f"{service}.amazonaws.com"
    r["eventName"] = name
    r["awsRegion"] = region
    r["sourceIPAddress"] = ip
    r["userAgent"] = agent
    if error is not None:
        code, message = error
        if code is not None:
            r["errorCode"] = code
        r["errorMessage"] = message
    r["requestParameters"] = request
    r["responseElements"] = response
    if additional is not None:
        r["additionalEventData"] = additional
    if event_type != "AwsConsoleSignIn":
        r["requestID"] = new_uuid()
    r["eventID"] = new_uuid()
    r["readOnly"] = name.startswith(READ_PREFIXES)
    if resources is not None:
        r["resources"] = resources
    r["eventType"] = event_type
    r["managementEvent"] = True
    r["recipientAccountId"] = acct
    if shared:
        r["sharedEventID"] = new_uuid()
    if service_details is not None:
        r["serviceEventDetails"] = service_details
    r["eventCategory"] = "Management"
    if tls:
        r["tlsDetails"] = {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": host_header(service, region),
        }
    if console:
        r["sessionCredentialFromConsole"] = "true"
    return r


def session_token():
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "IQoJb3JpZ2luX2VjE" + "".join(rng.choice(alphabet) for _ in range(480)) + "=="


def java_time(t):
    """Format a time the way STS writes credential expirations."""
    hour = t.hour % 12 or 12
    return f"{t.strftime('%b')} {t.day}, {t.year}, {hour}:{t.strftime('%M:%S')} {'AM' if t.hour < 12 else 'PM'}"


def assume_role(t, acct, identity, ip, agent, role_arn, session, *, error=None, region="us-east-1", tls=True):
    request = {"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600}
    response = None
    if error is None:
        role_name = role_arn.rsplit("/", 1)[1]
        role_acct = role_arn.split(":")[4]
        response = {
            "credentials": {
                "accessKeyId": "ASIA" + alnum(16),
                "sessionToken": session_token(),
                "expiration": java_time(t + dt.timedelta(hours=1)),
            },
            "assumedRoleUser": {
                "assumedRoleId": f"{stable_id('AROA', role_acct, role_name)}:{session}",
                "arn": f"arn:aws:sts::{role_acct}:assumed-role/{role_name}/{session}",
            },
        }
    resources = [{"accountId": role_arn.split(":")[4], "type": "AWS::IAM::Role", "ARN": role_arn}]
    return record(t, acct, identity, "sts", "AssumeRole", region, ip, agent, request, response,
                  error=error, resources=resources, shared=True, tls=tls)


GITHUB_AGENT = "aws-sdk-nodejs/2.1692.0 linux/v20.17.0 configure-aws-credentials-for-github-actions promise"


def web_identity_login(t, acct, subject, ip, *, error=None, role="GitHubDeployRole"):
    """Build an AssumeRoleWithWebIdentity record of a GitHub Actions workflow whose token has `subject`."""
    provider = f"arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com"
    identity = {"type": "WebIdentityUser", "principalId": f"{provider}:sts.amazonaws.com:{subject}",
                "userName": subject, "identityProvider": provider}
    role_arn = f"arn:aws:iam::{acct}:role/{role}"
    response = None
    if error is None:
        response = {
            "credentials": {"accessKeyId": "ASIA" + alnum(16), "sessionToken": session_token(),
                            "expiration": java_time(t + dt.timedelta(hours=1))},
            "subjectFromWebIdentityToken": subject,
            "assumedRoleUser": {"assumedRoleId": f"{stable_id('AROA', acct, role)}:GitHubActions",
                                "arn": f"arn:aws:sts::{acct}:assumed-role/{role}/GitHubActions"},
            "provider": provider,
            "audience": "sts.amazonaws.com",
        }
    request = {"roleArn": role_arn, "roleSessionName": "GitHubActions", "durationSeconds": 3600}
    resources = [{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role_arn}]
    return record(t, acct, identity, "sts", "AssumeRoleWithWebIdentity", "us-east-1", ip, GITHUB_AGENT, request, response,
                  error=error, resources=resources, shared=False)


def console_login(t, acct, identity, ip, *, success=True, mfa=False, region="us-east-1", agent=BROWSER,
                  login_to="https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true"):
    additional = {"LoginTo": login_to, "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"}
    if mfa:
        additional["MFAIdentifier"] = f"arn:aws:iam::{acct}:mfa/{identity.get('userName', 'root-account-mfa-device')}"
    # Failed console sign-ins carry errorMessage without errorCode.
    error = None if success else (None, "Failed authentication")
    return record(t, acct, identity, "signin", "ConsoleLogin", region, ip, agent, None,
                  {"ConsoleLogin": "Success" if success else "Failure"},
                  event_type="AwsConsoleSignIn", error=error, additional=additional, version="1.09")


def authorize_ingress(t, acct, identity, ip, agent, region, group, port, cidr=None, cidr6=None, console=False):
    permission = {"ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {},
                  "ipRanges": {"items": [{"cidrIp": cidr}]} if cidr else {},
                  "ipv6Ranges": {"items": [{"cidrIpv6": cidr6}]} if cidr6 else {},
                  "prefixListIds": {}}
    request = {"groupId": group, "ipPermissions": {"items": [permission]}}
    rule_id = "sgr-" + alnum(17, "0123456789abcdef")
    response = {"requestId": new_uuid(), "_return": True,
                "securityGroupRuleSet": {"items": [{"groupOwnerId": acct, "groupId": group,
                                                    "securityGroupRuleId": rule_id, "isEgress": False,
                                                    "ipProtocol": "tcp", "fromPort": port, "toPort": port,
                                                    **({"cidrIpv4": cidr} if cidr else {"cidrIpv6": cidr6})}]}}
    return record(t, acct, identity, "ec2", "AuthorizeSecurityGroupIngress", region, ip, agent, request, response,
                  version="1.09", console=console)


def bucket_policy(t, acct, identity, ip, agent, bucket, region, delete=False, grantee=None):
    if delete:
        request = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "policy": ""}
        name = "DeleteBucketPolicy"
    else:
        grantee = grantee or f"arn:aws:iam::{acct}:root"
        principal = "*" if grantee == "*" else {"AWS": grantee}
        policy = {"Version": "2012-10-17", "Statement": [{
            "Sid": "ReadAccess", "Effect": "Allow", "Principal": principal,
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}
        request = {"bucketPolicy": policy, "bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "policy": ""}
        name = "PutBucketPolicy"
    additional = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0 if delete else 312,
                  "AuthenticationMethod": "AuthHeader", "x-amz-id-2": alnum(56, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
                  "bytesTransferredOut": 0}
    resources = [{"accountId": acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    return record(t, acct, identity, "s3", name, region, ip, agent, request, None,
                  additional=additional, resources=resources)


# ---------------------------------------------------------------------------
# Benign noise
# ---------------------------------------------------------------------------

# (service, eventName, requestParameters) of read-only calls.
READ_CALLS = [
    ("ec2", "DescribeInstances", {"instancesSet": {}, "filterSet": {"items": [{"name": "instance-state-name", "valueSet": {"items": [{"value": "running"}]}}]}}),
    ("ec2", "DescribeSecurityGroups", {"securityGroupSet": {}, "securityGroupIdSet": {}, "filterSet": {}}),
    ("ec2", "DescribeVolumes", {"volumeSet": {}, "filterSet": {}}),
    ("ec2", "DescribeRegions", {"regionSet": {}, "allRegions": False}),
    ("iam", "ListUsers", None),
    ("iam", "ListRoles", None),
    ("iam", "GetAccountSummary", None),
    ("sts", "GetCallerIdentity", None),
    ("s3", "ListBuckets", {"Host": "s3.amazonaws.com"}),
    ("cloudformation", "DescribeStacks", None),
    ("lambda", "ListFunctions20150331", None),
    ("kms", "ListAliases", None),
    ("logs", "DescribeLogGroups", {"limit": 50}),
    ("cloudtrail", "DescribeTrails", {"includeShadowTrails": True}),
    ("guardduty", "ListDetectors", None),
    ("monitoring", "DescribeAlarms", {"maxRecords": 100}),
]


def read_call(t, acct, identity, ip, agent, region, tls=True):
    service, name, request = rng.choice(READ_CALLS)
    if service in ("iam", "s3") and region != "us-east-1":
        region_used = "us-east-1"
    else:
        region_used = region
    return record(t, acct, identity, service, name, region_used, ip, agent, request, None, tls=tls)


def burst(start, count, make):
    """Return `count` records from `make(t)` spaced a few seconds apart."""
    out = []
    t = start
    for _ in range(count):
        out.append(make(t))
        t += dt.timedelta(seconds=rng.randint(2, 40))
    return out


def at(day, hh, mm, ss=0):
    return dt.datetime(2025, 6, day, hh, mm, ss)


def main_account_noise():
    acct = MAIN
    records = []
    office, office6, home_bob = "203.0.113.10", "2001:db8:1::25", "192.0.2.44"
    weekdays = [2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19]
    alice = iam_user(acct, "alice")
    bob = iam_user(acct, "bob")
    for day in weekdays:
        # CI pipeline inside the VPC: a deploy role, private source addresses.
        for hour in (13, 17):
            t = at(day, hour, rng.randint(0, 50), rng.randint(0, 59))
            ci = assumed_role(acct, "DeployRole", "ci-runner", t - dt.timedelta(minutes=1))
            ip = f"10.20.{rng.randint(1, 4)}.{rng.randint(10, 250)}"
            records += burst(t, rng.randint(2, 4), lambda t: read_call(t, acct, ci, ip, TERRAFORM, "us-east-1"))
        # alice works from the office, mostly in us-east-1 and us-west-2.
        t = at(day, rng.choice([13, 14, 15, 19]), rng.randint(0, 55), rng.randint(0, 59))
        region = rng.choice(["us-east-1", "us-east-1", "us-west-2"])
        ip = office6 if day == 4 else office
        records += burst(t, rng.randint(2, 5), lambda t: read_call(t, acct, alice, ip, CLI.format(cmd="ec2.describe-instances"), region))
        # bob works from home in us-west-2.
        if day in (3, 5, 10, 12, 17):
            t = at(day, rng.choice([14, 16, 20]), rng.randint(0, 55), rng.randint(0, 59))
            records += burst(t, rng.randint(2, 4), lambda t: read_call(t, acct, bob, home_bob, BOTO, "us-west-2"))
        # EC2 instance profile credentials, refreshed by the EC2 service.
        t = at(day, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        instance = "i-0" + alnum(16, "0123456789abcdef")
        records.append(assume_role(t, acct, aws_service("ec2.amazonaws.com"), "ec2.amazonaws.com", "ec2.amazonaws.com",
                                   f"arn:aws:iam::{acct}:role/AppInstanceRole", instance, tls=False))

    # A nightly backup job also runs on the weekend, outside business hours.
    for day in (7, 8, 14, 15):
        t = at(day, 3, rng.randint(0, 30), rng.randint(0, 59))
        job = assumed_role(acct, "BackupRole", "nightly-backup", t - dt.timedelta(seconds=30))
        records += burst(t, 3, lambda t: record(t, acct, job, "ec2", "DescribeVolumes", "us-east-1",
                                                "10.20.9.17", BOTO, {"volumeSet": {}, "filterSet": {}}, None))
        records.append(record(t + dt.timedelta(minutes=2), acct, job, "ec2", "CreateSnapshot", "us-east-1", "10.20.9.17", BOTO,
                              {"volumeId": "vol-0" + alnum(16, "0123456789abcdef"), "description": "nightly"},
                              {"requestId": new_uuid(), "snapshotId": "snap-0" + alnum(16, "0123456789abcdef"),
                               "status": "pending", "volumeSize": 100}))
        # Lambda refreshes its execution role (service-name source, no TLS details).
        records.append(assume_role(t + dt.timedelta(minutes=4), acct, aws_service("lambda.amazonaws.com"), "lambda.amazonaws.com",
                                   "lambda.amazonaws.com", f"arn:aws:iam::{acct}:role/ReportFunctionRole",
                                   "report-generator", tls=False))

    # SSO users sign in to the console through IAM Identity Center. CloudTrail
    # writes MFAUsed "No" for these federated sign-ins even when the identity
    # provider enforced MFA, so ConsoleLoginWithoutMFA must not fire on them.
    sso_role = "AWSReservedSSO_ReadOnly_0a1b2c3d4e5f6a7b"
    for day in (2, 5, 10, 16):
        t = at(day, 14, rng.randint(0, 50), rng.randint(0, 59))
        carol = assumed_role(acct, sso_role, "carol@example.com", t, path="/aws-reserved/sso.amazonaws.com/")
        records.append(console_login(t, acct, carol, "203.0.113.25", login_to="https://console.aws.amazon.com/console/home"))
        records += burst(t + dt.timedelta(seconds=20), 3, lambda t: record(
            t, acct, carol, "ec2", rng.choice(["DescribeInstances", "DescribeVpcs", "DescribeSubnets"]), "us-east-1",
            "203.0.113.25", BROWSER, {"filterSet": {}}, None, event_type="AwsApiCall", console=True))

    # alice assumes the deploy role from the office: a public address, so
    # AssumeRoleFromPublicAddress fires, but the config trusts 203.0.113.0/24.
    for day in (3, 10, 17):
        t = at(day, 15, 2, 11)
        records.append(assume_role(t, acct, alice, office, CLI.format(cmd="sts.assume-role"),
                                   f"arn:aws:iam::{acct}:role/DeployRole", "alice-deploy"))
    # Role chaining by an AWS service: the source address is "AWS Internal".
    t = at(12, 16, 40, 5)
    chain = assumed_role(acct, "DeployRole", "ci-runner", t - dt.timedelta(minutes=3))
    records.append(assume_role(t, acct, chain, "AWS Internal", "AWS Internal",
                               f"arn:aws:iam::{acct}:role/StackSetExecutionRole", "stackset-deploy", tls=False))

    # GitHub Actions deploys from the main branch, then a pull request from
    # a fork tries the same role: the pull_request subject is allowed by a
    # loose trust policy, the fork's token is refused.
    records.append(web_identity_login(at(5, 14, 5, 41), acct, "repo:example-org/infra:ref:refs/heads/main", "192.0.2.150"))
    records.append(web_identity_login(at(12, 18, 20, 9), acct, "repo:example-org/infra:pull_request", "192.0.2.151"))
    records.append(web_identity_login(at(12, 18, 21, 30), acct, "repo:outside-dev/infra:pull_request", "192.0.2.152",
                                      error=("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")))

    # alice onboards a new engineer during business hours.
    t = at(3, 15, 20, 4)
    records.append(record(t, acct, alice, "iam", "CreateUser", "us-east-1", office, CLI.format(cmd="iam.create-user"),
                          {"userName": "dave"},
                          {"user": {"path": "/", "userName": "dave", "userId": stable_id("AIDA", acct, "dave"),
                                    "arn": f"arn:aws:iam::{acct}:user/dave", "createDate": "Jun 3, 2025 3:20:04 PM"}}))
    records.append(record(t + dt.timedelta(seconds=50), acct, alice, "iam", "CreateAccessKey", "us-east-1", office,
                          CLI.format(cmd="iam.create-access-key"), {"userName": "dave"},
                          {"accessKey": {"userName": "dave", "accessKeyId": "AKIA" + alnum(16), "status": "Active",
                                         "createDate": "Jun 3, 2025 3:20:54 PM"}}))
    records.append(record(t + dt.timedelta(seconds=80), acct, alice, "iam", "AttachUserPolicy", "us-east-1", office,
                          CLI.format(cmd="iam.attach-user-policy"),
                          {"userName": "dave", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, None))
    # A second key for dave fails on the quota: a near miss for IAMAccessKeyCreated.
    records.append(record(at(4, 16, 1, 30), acct, alice, "iam", "CreateAccessKey", "us-east-1", office,
                          CLI.format(cmd="iam.create-access-key"), {"userName": "dave"}, None,
                          error=("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")))
    # The CI opens a port to the VPC only: a near miss for SecurityGroupOpenToWorld.
    t = at(5, 13, 44, 9)
    ci = assumed_role(acct, "DeployRole", "ci-runner", t - dt.timedelta(minutes=2))
    records.append(authorize_ingress(t, acct, ci, "10.20.2.31", TERRAFORM, "us-east-1", "sg-0a1b2c3d4e5f60718", 5432, cidr="10.20.0.0/16"))
    # Routine root use with MFA, on a weekday afternoon.
    t = at(6, 18, 5, 33)
    records.append(console_login(t, acct, root(acct), office, mfa=True))
    records.append(record(t + dt.timedelta(seconds=40), acct, root(acct, with_key=False), "iam", "GetAccountSummary",
                          "us-east-1", office, BROWSER, None, None, console=True))
    # bob mistypes his password once, then signs in with MFA.
    t = at(4, 14, 30, 2)
    records.append(console_login(t, acct, iam_user(acct, "bob"), home_bob, success=False, region="us-west-2"))
    records.append(console_login(t + dt.timedelta(seconds=25), acct, iam_user(acct, "bob"), home_bob, mfa=True, region="us-west-2"))
    # A KMS key rotation done by AWS itself.
    t = at(9, 0, 12, 0)
    key_arn = f"arn:aws:kms:us-east-1:{acct}:key/3f6c2a1e-8d4b-4c7a-9e2f-5b1d0c8a7e6f"
    records.append(record(t, acct, {"accountId": acct, "invokedBy": "AWS Internal"}, "kms", "RotateKey", "us-east-1",
                          "AWS Internal", "AWS Internal", None, None, event_type="AwsServiceEvent",
                          resources=[{"accountId": acct, "type": "AWS::KMS::Key", "ARN": key_arn}],
                          service_details={"keyId": key_arn.rsplit("/", 1)[1]}, version="1.08", tls=False))
    return records


def trim_ci_noise(records, excess):
    """Drop `excess` read-only calls of the CI runner from `records`, one per
    CI run in turn, the latest runs first, keeping at least one call a run.

    The end-to-end tests check the total number of sample records, so new
    detection events displace CI noise rather than grow the samples."""
    runs = {}
    for r in records:
        identity = r.get("userIdentity", {})
        if identity.get("arn", "").endswith("assumed-role/DeployRole/ci-runner") and r["readOnly"]:
            # A CI run is the calls of one hour on one day.
            runs.setdefault(r["eventTime"][:13], []).append(r)
    dropped = set()
    order = sorted(runs, reverse=True)
    while len(dropped) < excess:
        progress = False
        for hour in order:
            run = runs[hour]
            if len(dropped) < excess and len(run) > 1:
                dropped.add(run.pop()["eventID"])
                progress = True
        if not progress:
            raise SystemExit(f"make-samples: too few CI records to drop {excess} and keep {TOTAL_RECORDS} records. "
                             "Add benign noise or lower the number of detection events")
    return [r for r in records if r["eventID"] not in dropped]


def intrusion():
    """Stolen credentials of bob, used from 198.51.100.77 on Wednesday
    2025-06-11 between 02:10 and 02:40 UTC (22:10 the evening before in New
    York), after the learning period. Fires most default rules. The
    organization trail and the GitHub Actions events cover the rest."""
    acct, attacker = MAIN, "198.51.100.77"
    records = []
    cli = lambda cmd: CLI.format(cmd=cmd)
    hidden = {"type": "IAMUser", "accountId": acct, "accessKeyId": "", "userName": "HIDDEN_DUE_TO_SECURITY_REASONS"}
    records.append(console_login(at(11, 2, 10, 12), acct, hidden, attacker, success=False))
    records.append(console_login(at(11, 2, 10, 41), acct, iam_user(acct, "bob"), attacker, success=False))
    login = at(11, 2, 11, 5)
    records.append(console_login(login, acct, iam_user(acct, "bob"), attacker, success=True, mfa=False))

    bob = iam_user(acct, "bob")
    # Discovery: a burst of AccessDenied errors. It starts at 02:15, so the
    # 02:10-02:15 log file holds only the sign-ins, whose 3 findings the
    # bad-input tests count.
    denied = [("secretsmanager", "ListSecrets", {}), ("iam", "ListAttachedRolePolicies", {"roleName": "BreakGlassAdmin"}),
              ("secretsmanager", "GetSecretValue", {"secretId": "prod/db/password"}), ("ssm", "GetParameters", {"names": ["/prod/api-key"], "withDecryption": True}),
              ("organizations", "ListAccounts", None), ("iam", "GetAccountAuthorizationDetails", None)]
    t = at(11, 2, 15, 10)
    for service, name, request in denied:
        action = f"{service}:{name}"
        message = f"User: arn:aws:iam::{acct}:user/bob is not authorized to perform: {action} because no identity-based policy allows the {action} action"
        records.append(record(t, acct, bob, service, name, "us-east-1", attacker, cli(f"{service}.{name.lower()}"), request, None,
                              error=("AccessDenied", message)))
        t += dt.timedelta(seconds=17)

    # Persistence: a new user with a key and administrator rights.
    t = at(11, 2, 17, 2)
    records.append(record(t, acct, bob, "iam", "CreateUser", "us-east-1", attacker, cli("iam.create-user"),
                          {"userName": "svc-backup"},
                          {"user": {"path": "/", "userName": "svc-backup", "userId": stable_id("AIDA", acct, "svc-backup"),
                                    "arn": f"arn:aws:iam::{acct}:user/svc-backup", "createDate": "Jun 11, 2025 2:17:02 AM"}}))
    records.append(record(t + dt.timedelta(seconds=38), acct, bob, "iam", "CreateAccessKey", "us-east-1", attacker,
                          cli("iam.create-access-key"), {"userName": "svc-backup"},
                          {"accessKey": {"userName": "svc-backup", "accessKeyId": "AKIA" + alnum(16), "status": "Active",
                                         "createDate": "Jun 11, 2025 2:17:40 AM"}}))
    records.append(record(t + dt.timedelta(seconds=61), acct, bob, "iam", "AttachUserPolicy", "us-east-1", attacker,
                          cli("iam.attach-user-policy"),
                          {"userName": "svc-backup", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, None))
    records.append(record(t + dt.timedelta(seconds=78), acct, bob, "iam", "CreateLoginProfile", "us-east-1", attacker,
                          cli("iam.create-login-profile"), {"userName": "svc-backup", "passwordResetRequired": False},
                          {"loginProfile": {"userName": "svc-backup", "createDate": "Jun 11, 2025 2:18:20 AM",
                                            "passwordResetRequired": False}}))
    ssh_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISampleOnlyNotARealKey0000000000000000000 svc-backup"
    records.append(record(t + dt.timedelta(seconds=98), acct, bob, "iam", "UploadSSHPublicKey", "us-east-1", attacker,
                          cli("iam.upload-ssh-public-key"), {"userName": "svc-backup", "sSHPublicKeyBody": ssh_key},
                          {"sSHPublicKey": {"userName": "svc-backup", "sSHPublicKeyId": "APKA" + alnum(16),
                                            "fingerprint": ":".join(alnum(2, "0123456789abcdef") for _ in range(16)),
                                            "sSHPublicKeyBody": ssh_key, "status": "Active",
                                            "uploadDate": "Jun 11, 2025 2:18:40 AM"}}))

    # Privilege escalation: a refused and a successful role assumption.
    breakglass = f"arn:aws:iam::{acct}:role/BreakGlassAdmin"
    records.append(assume_role(at(11, 2, 19, 14), acct, bob, attacker, cli("sts.assume-role"), breakglass, "bob",
                               error=("AccessDenied", f"User: arn:aws:iam::{acct}:user/bob is not authorized to perform: sts:AssumeRole on resource: {breakglass}")))
    svc = iam_user(acct, "svc-backup")
    records.append(assume_role(at(11, 2, 21, 3), acct, svc, attacker, BOTO, breakglass, "maintenance"))
    admin = assumed_role(acct, "BreakGlassAdmin", "maintenance", at(11, 2, 21, 3))

    # Defense evasion and impact, partly in a region this account never uses.
    records.append(record(at(11, 2, 24, 10), acct, admin, "guardduty", "DeleteDetector", "us-east-1", attacker, BOTO,
                          {"detectorId": "8ac6b1d2e3f405162738495a6b7c8d9e"}, None))
    records.append(record(at(11, 2, 26, 44), acct, admin, "guardduty", "DeleteDetector", "eu-west-1", attacker, BOTO,
                          {"detectorId": "1e2d3c4b5a69788796a5b4c3d2e1f0a9"}, None))
    records.append(authorize_ingress(at(11, 2, 29, 7), acct, admin, attacker, BOTO, "eu-west-1", "sg-0f1e2d3c4b5a69788", 22, cidr="0.0.0.0/0"))
    records.append(bucket_policy(at(11, 2, 31, 15), acct, admin, attacker, BOTO, "example-prod-exports", "us-east-1",
                                 grantee="arn:aws:iam::210987654321:root"))
    key_arn = f"arn:aws:kms:eu-west-1:{acct}:key/7d9e1f3a-2b4c-4d6e-8f0a-1b2c3d4e5f60"
    records.append(record(at(11, 2, 35, 30), acct, admin, "kms", "ScheduleKeyDeletion", "eu-west-1", attacker, BOTO,
                          {"keyId": key_arn, "pendingWindowInDays": 7},
                          {"keyId": key_arn, "deletionDate": "Jun 18, 2025, 2:35:30 AM", "keyState": "PendingDeletion",
                           "pendingWindowInDays": 7},
                          resources=[{"accountId": acct, "type": "AWS::KMS::Key", "ARN": key_arn}]))
    records += intrusion_as_admin(acct, admin, attacker)
    records.append(record(at(11, 2, 38, 2), acct, admin, "cloudtrail", "StopLogging", "us-east-1", attacker, BOTO,
                          {"name": f"arn:aws:cloudtrail:us-east-1:{acct}:trail/{TRAIL}"}, None))
    return records


def intrusion_as_admin(acct, admin, attacker):
    """Return the attacker's further steps as BreakGlassAdmin between 02:22
    and 02:37, before StopLogging ends the trail's record: a backdoor in the
    trust policy, more defenses turned off, data exposed and a key disabled."""
    records = []
    hex_id = lambda n: alnum(n, "0123456789abcdef")
    any_principal = compact({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
    records.append(record(at(11, 2, 22, 15), acct, admin, "iam", "UpdateAssumeRolePolicy", "us-east-1", attacker, BOTO,
                          {"roleName": "BreakGlassAdmin", "policyDocument": any_principal}, None))
    records.append(record(at(11, 2, 23, 5), acct, admin, "iam", "DeactivateMFADevice", "us-east-1", attacker, BOTO,
                          {"userName": "alice", "serialNumber": f"arn:aws:iam::{acct}:mfa/alice"}, None))

    # Monitoring off: GuardDuty in a second region, Security Hub, Config.
    records.append(record(at(11, 2, 25, 20), acct, admin, "guardduty", "UpdateDetector", "us-west-2", attacker, BOTO,
                          {"detectorId": hex_id(32), "enable": False}, None))
    records.append(record(at(11, 2, 27, 30), acct, admin, "securityhub", "DisableSecurityHub", "us-east-1", attacker, BOTO,
                          None, None))
    records.append(record(at(11, 2, 27, 55), acct, admin, "config", "StopConfigurationRecorder", "us-east-1", attacker, BOTO,
                          {"configurationRecorderName": "default"}, None))

    # Network and compute in eu-west-1: flow logs gone, the network opened,
    # an SSH key imported and a backdoor in an instance's user data.
    ec2 = lambda t, name, request: record(t, acct, admin, "ec2", name, "eu-west-1", attacker, BOTO, request,
                                          {"requestId": new_uuid(), "_return": True}, version="1.09")
    records.append(ec2(at(11, 2, 28, 10), "DeleteFlowLogs",
                       {"DeleteFlowLogsRequest": {"FlowLogId": {"tag": 1, "content": "fl-0" + hex_id(16)}}}))
    records.append(ec2(at(11, 2, 29, 40), "AuthorizeSecurityGroupEgress",
                       {"groupId": "sg-0f1e2d3c4b5a69788", "ipPermissions": {"items": [
                           {"ipProtocol": "-1", "groups": {}, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]},
                            "ipv6Ranges": {}, "prefixListIds": {}}]}}))
    records.append(ec2(at(11, 2, 30, 5), "CreateNetworkAclEntry",
                       {"networkAclId": "acl-0" + hex_id(16), "ruleNumber": 50, "egress": False, "ruleAction": "allow",
                        "icmpTypeCode": {}, "portRange": {}, "aclProtocol": "-1", "cidrBlock": "0.0.0.0/0"}))
    records.append(record(at(11, 2, 30, 30), acct, admin, "ec2", "ImportKeyPair", "eu-west-1", attacker, BOTO,
                          {"keyName": "maintenance", "publicKeyMaterial": "<sensitiveDataRemoved>"},
                          {"requestId": new_uuid(), "keyName": "maintenance",
                           "keyFingerprint": ":".join(hex_id(2) for _ in range(16)), "keyPairId": "key-0" + hex_id(16)},
                          version="1.09"))
    records.append(ec2(at(11, 2, 31, 0), "ModifyInstanceAttribute",
                       {"instanceId": "i-0" + hex_id(16), "userData": "<sensitiveDataRemoved>"}))

    # Data exposed to everyone: an S3 bucket, an EBS snapshot, an RDS snapshot.
    bucket = "example-prod-exports"
    s3_request = {"bucketName": bucket, "Host": f"{bucket}.s3.us-east-1.amazonaws.com"}
    s3_resources = [{"accountId": acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    records.append(record(at(11, 2, 32, 10), acct, admin, "s3", "DeletePublicAccessBlock", "us-east-1", attacker, BOTO,
                          dict(s3_request, publicAccessBlock=""), None, resources=s3_resources))
    records.append(record(at(11, 2, 32, 40), acct, admin, "s3", "PutBucketAcl", "us-east-1", attacker, BOTO,
                          dict(s3_request, acl="", **{"x-amz-acl": ["public-read"]}), None, resources=s3_resources))
    records.append(ec2(at(11, 2, 33, 20), "ModifySnapshotAttribute",
                       {"snapshotId": "snap-0" + hex_id(16), "createVolumePermission": {"add": {"items": [{"group": "all"}]}},
                        "attributeType": "CREATE_VOLUME_PERMISSION"}))
    records.append(record(at(11, 2, 33, 50), acct, admin, "rds", "ModifyDBSnapshotAttribute", "us-east-1", attacker, BOTO,
                          {"dBSnapshotIdentifier": "orders-db-nightly", "attributeName": "restore", "valuesToAdd": ["all"]},
                          {"dBSnapshotIdentifier": "orders-db-nightly",
                           "dBSnapshotAttributes": [{"attributeName": "restore", "attributeValues": ["all"]}]}))

    # Impact and clean-up: a KMS key disabled and a log group deleted.
    key_arn = f"arn:aws:kms:eu-west-1:{acct}:key/2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f70"
    records.append(record(at(11, 2, 34, 30), acct, admin, "kms", "DisableKey", "eu-west-1", attacker, BOTO,
                          {"keyId": key_arn}, None, resources=[{"accountId": acct, "type": "AWS::KMS::Key", "ARN": key_arn}]))
    records.append(record(at(11, 2, 36, 40), acct, admin, "logs", "DeleteLogGroup", "us-east-1", attacker, BOTO,
                          {"logGroupName": "/aws/lambda/payments-api"}, None))
    return records


def org_account_events():
    """Member accounts of the organization trail, 2025-06-06 to 2025-06-10."""
    records = []
    a, b = ORG_A, ORG_B
    ops = assumed_role(a, "OpsRole", "oncall", at(6, 13, 0))
    for day in (6, 9, 10):
        t = at(day, 13, rng.randint(0, 50), rng.randint(0, 59))
        records += burst(t, rng.randint(3, 5), lambda t: read_call(t, a, ops, "192.0.2.80", TERRAFORM, rng.choice(["us-east-1", "us-east-2"])))
    # Root signs in without MFA late on a Saturday.
    t = at(7, 23, 41, 9)
    records.append(console_login(t, a, root(a), "198.51.100.200", agent=BROWSER_MAC))
    records.append(record(t + dt.timedelta(minutes=1), a, root(a, with_key=False), "iam", "ListAccessKeys", "us-east-1",
                          "198.51.100.200", BROWSER_MAC, None, None, console=True))
    records.append(bucket_policy(at(9, 15, 3, 40), a, ops, "192.0.2.80", TERRAFORM, "example-org-logs", "us-east-2", delete=True))
    # A near miss for S3BucketPolicyChanged: reading the policy.
    records.append(record(at(9, 15, 2, 11), a, ops, "s3", "GetBucketPolicy", "us-east-2", "192.0.2.80", TERRAFORM,
                          {"bucketName": "example-org-logs", "Host": "example-org-logs.s3.us-east-2.amazonaws.com", "policy": ""}, None))

    dev = assumed_role(b, "DeveloperRole", "erin", at(9, 16, 0))
    for day in (6, 9, 10):
        t = at(day, 16, rng.randint(0, 50), rng.randint(0, 59))
        records += burst(t, rng.randint(2, 4), lambda t: read_call(t, b, dev, "2001:db8:77::5", BOTO, "eu-central-1"))
    records.append(authorize_ingress(at(9, 16, 22, 48), b, dev, "2001:db8:77::5", BROWSER, "eu-central-1",
                                     "sg-07a8b9c0d1e2f3a4b", 443, cidr6="::/0", console=True))
    records.append(record(at(10, 21, 5, 31), b, dev, "cloudtrail", "DeleteTrail", "eu-central-1", "2001:db8:77::5", BOTO,
                          {"name": f"arn:aws:cloudtrail:eu-central-1:{b}:trail/dev-sandbox-trail"}, None))
    # A trail update: a near miss for CloudTrailLoggingStopped, but it
    # turns off multi-region logging, so CloudTrailTrailModified fires.
    records.append(record(at(10, 21, 3, 2), b, dev, "cloudtrail", "UpdateTrail", "eu-central-1", "2001:db8:77::5", BOTO,
                          {"name": "dev-sandbox-trail", "isMultiRegionTrail": False}, None))
    # erin also cuts the account loose from central security: GuardDuty
    # administration, then the organization itself.
    records.append(record(at(10, 21, 4, 10), b, dev, "guardduty", "DisassociateFromAdministratorAccount", "eu-central-1",
                          "2001:db8:77::5", BOTO, {"detectorId": alnum(32, "0123456789abcdef")}, None))
    records.append(record(at(10, 21, 7, 12), b, dev, "organizations", "LeaveOrganization", "us-east-1", "2001:db8:77::5",
                          BOTO, None, None))
    # A golden image shared with everyone.
    records.append(record(at(9, 16, 40, 27), b, dev, "ec2", "ModifyImageAttribute", "eu-central-1", "2001:db8:77::5", BROWSER,
                          {"imageId": "ami-0" + alnum(16, "0123456789abcdef"),
                           "launchPermission": {"add": {"items": [{"group": "all"}]}}, "attributeType": "launchPermission"},
                          {"requestId": new_uuid(), "_return": True}, version="1.09", console=True))
    # A static-website bucket whose policy lets anyone read it.
    site = "example-org-status-page"
    records.append(bucket_policy(at(9, 15, 12, 5), a, ops, "192.0.2.80", TERRAFORM, site, "us-east-2", grantee="*"))
    return records


def insight_records():
    shared = new_uuid()
    common = {"state": "Start", "eventSource": "ec2.amazonaws.com", "eventName": "AuthorizeSecurityGroupIngress",
              "insightType": "ApiCallRateInsight"}
    out = []
    for state, t in (("Start", at(11, 2, 30)), ("End", at(11, 2, 45))):
        details = dict(common, state=state)
        stats = {"baseline": {"average": 0.0004166667}, "insight": {"average": 1.4}}
        if state == "End":
            stats.update(insightDuration=15, baselineDuration=12960)
        details["insightContext"] = {
            "statistics": stats,
            "attributions": [
                {"attribute": "userIdentityArn",
                 "insight": [{"value": f"arn:aws:sts::{MAIN}:assumed-role/BreakGlassAdmin/maintenance", "average": 1.4}],
                 "baseline": [{"value": f"arn:aws:sts::{MAIN}:assumed-role/DeployRole/ci-runner", "average": 0.0004166667}]},
                {"attribute": "userAgent", "insight": [{"value": BOTO, "average": 1.4}], "baseline": [{"value": TERRAFORM, "average": 0.0004166667}]},
                {"attribute": "errorCode", "insight": [{"value": "null", "average": 1.4}], "baseline": [{"value": "null", "average": 0.0004166667}]},
            ],
        }
        out.append({"eventVersion": "1.08", "eventTime": iso(t), "awsRegion": "us-east-1", "eventID": new_uuid(),
                    "eventType": "AwsCloudTrailInsight", "recipientAccountId": MAIN, "sharedEventID": shared,
                    "insightDetails": details, "eventCategory": "Insight"})
    return out


def stream_records():
    """Records for stream/events.ndjson: the days after the tree, 2025-06-20 to 2025-06-22."""
    acct = MAIN
    out = []
    alice = iam_user(acct, "alice")
    ci = assumed_role(acct, "DeployRole", "ci-runner", at(20, 12, 58))
    out += burst(at(20, 13, 0, 4), 8, lambda t: read_call(t, acct, ci, "10.20.3.40", TERRAFORM, "us-east-1"))
    out += burst(at(20, 14, 12, 9), 5, lambda t: read_call(t, acct, alice, "2001:db8:1::25", CLI.format(cmd="s3.ls"), "us-west-2"))

    # An unknown IPv6 client assumes a role with a key that was leaked.
    deploy = f"arn:aws:iam::{acct}:role/DeployRole"
    out.append(assume_role(at(21, 4, 2, 51), acct, iam_user(acct, "dave"), "2001:db8:bad:1::9", BOTO, deploy, "dave"))
    out.append(assume_role(at(21, 4, 3, 20), acct, iam_user(acct, "dave"), "2001:db8:bad:1::9", BOTO,
                           f"arn:aws:iam::{acct}:role/BreakGlassAdmin", "dave",
                           error=("AccessDenied", f"User: arn:aws:iam::{acct}:user/dave is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{acct}:role/BreakGlassAdmin")))
    out.append(assume_role(at(21, 4, 3, 58), acct, iam_user(acct, "dave"), "2001:db8:bad:1::9", BOTO,
                           f"arn:aws:iam::{ORG_A}:role/OrganizationAccountAccessRole", "dave",
                           error=("AccessDenied", f"User: arn:aws:iam::{acct}:user/dave is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{ORG_A}:role/OrganizationAccountAccessRole")))

    # Password spraying against the console on a Saturday.
    unknown_user = {"type": "IAMUser", "accountId": acct, "accessKeyId": "", "userName": "HIDDEN_DUE_TO_SECURITY_REASONS"}
    for i, identity in enumerate([unknown_user, iam_user(acct, "alice"), iam_user(acct, "bob")]):
        out.append(console_login(at(21, 4, 10, 5 + 17 * i), acct, identity, "203.0.113.199", success=False))

    # Benign CI assumption from a private address, and a service refresh.
    out.append(assume_role(at(20, 13, 6, 30), acct, ci, "10.20.3.40", TERRAFORM, f"arn:aws:iam::{acct}:role/StackSetExecutionRole", "ci-stackset"))
    out.append(assume_role(at(20, 22, 30, 0), acct, aws_service("ec2.amazonaws.com"), "ec2.amazonaws.com", "ec2.amazonaws.com",
                           f"arn:aws:iam::{acct}:role/AppInstanceRole", "i-0" + alnum(16, "0123456789abcdef"), tls=False))

    # bob creates a key for himself from his home address. Without a
    # userName in the request this is a near miss for IAMAccessKeyCreatedForUser.
    out.append(record(at(20, 15, 44, 40), acct, iam_user(acct, "bob"), "iam", "CreateAccessKey", "us-east-1", "192.0.2.44",
                      BOTO, None,
                      {"accessKey": {"userName": "bob", "accessKeyId": "AKIA" + alnum(16), "status": "Active",
                                     "createDate": "Jun 20, 2025 3:44:40 PM"}}))
    out.append(record(at(20, 15, 43, 2), acct, iam_user(acct, "bob"), "iam", "ListAccessKeys", "us-east-1", "192.0.2.44",
                      BOTO, {"userName": "bob"}, None))

    # Org account: an engineer signs in without MFA on a weekday evening.
    out.append(console_login(at(20, 23, 15, 0), ORG_A, iam_user(ORG_A, "frank"), "192.0.2.91", agent=BROWSER_MAC))
    out.append(record(at(20, 23, 16, 12), ORG_A, iam_user(ORG_A, "frank", console=True, created=at(20, 23, 15, 0)), "kms",
                      "ListKeys", "us-east-2", "192.0.2.91", BROWSER_MAC, {"limit": 1000}, None, console=True))
    out += burst(at(22, 11, 0, 0), 6, lambda t: read_call(t, ORG_A, assumed_role(ORG_A, "OpsRole", "oncall", at(22, 10, 58)),
                                                          "192.0.2.80", TERRAFORM, "us-east-2"))
    return out


def envelope(r):
    return {"version": "0", "id": new_uuid(), "detail-type": DETAIL_TYPES[r["eventType"]],
            "source": "aws." + r["eventSource"].removesuffix(".amazonaws.com"), "account": r["recipientAccountId"],
            "time": r["eventTime"], "region": r["awsRegion"], "resources": [], "detail": r}


def envelope_records():
    """Records for stream/eventbridge.ndjson, delivered by EventBridge on 2025-06-22."""
    b = ORG_B
    dev = assumed_role(b, "DeveloperRole", "erin", at(22, 9, 0))
    out = []
    out += burst(at(22, 9, 4, 0), 3, lambda t: read_call(t, b, dev, "192.0.2.130", BOTO, "eu-central-1"))
    out.append(record(at(22, 9, 12, 40), b, dev, "guardduty", "DeleteDetector", "eu-central-1", "192.0.2.130", BOTO,
                      {"detectorId": "5c6d7e8f90a1b2c3d4e5f60718293a4b"}, None))
    key_arn = f"arn:aws:kms:eu-central-1:{b}:key/0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"
    out.append(record(at(22, 9, 14, 2), b, dev, "kms", "ScheduleKeyDeletion", "eu-central-1", "192.0.2.130", BOTO,
                      {"keyId": key_arn, "pendingWindowInDays": 30},
                      {"keyId": key_arn, "deletionDate": "Jul 22, 2025, 9:14:02 AM", "keyState": "PendingDeletion",
                       "pendingWindowInDays": 30},
                      resources=[{"accountId": b, "type": "AWS::KMS::Key", "ARN": key_arn}]))
    out.append(console_login(at(22, 9, 1, 30), b, root(b), "192.0.2.130", mfa=True, region="eu-central-1",
                             login_to="https://eu-central-1.console.aws.amazon.com/console/home"))
    out.append(record(at(22, 9, 20, 0), b, {"accountId": b, "invokedBy": "AWS Internal"}, "kms", "RotateKey", "eu-central-1",
                      "AWS Internal", "AWS Internal", None, None, event_type="AwsServiceEvent",
                      resources=[{"accountId": b, "type": "AWS::KMS::Key", "ARN": key_arn}],
                      service_details={"keyId": key_arn.rsplit("/", 1)[1]}, tls=False))
    return [envelope(r) for r in out]


# ---------------------------------------------------------------------------
# Writing the tree
# ---------------------------------------------------------------------------

def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def gzip_bytes(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def key_time(records):
    """End of the 5-minute window that contains the latest eventTime."""
    latest = max(dt.datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ") for r in records)
    window = latest.replace(second=0) - dt.timedelta(minutes=latest.minute % 5)
    return window + dt.timedelta(minutes=5)


def log_path(prefix, acct, kind, region, when, suffix, ext=".json.gz"):
    folder = prefix / acct / kind / region / f"{when:%Y}" / f"{when:%m}" / f"{when:%d}"
    return folder / f"{acct}_{kind}_{region}_{when:%Y%m%dT%H%MZ}_{suffix}{ext}"


def group_files(records):
    """Group records into log files by account, region and 5-minute window."""
    groups = {}
    for r in sorted(records, key=lambda r: (r["eventTime"], r["eventID"])):
        t = dt.datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ")
        window = t.replace(second=0) - dt.timedelta(minutes=t.minute % 5)
        groups.setdefault((r["recipientAccountId"], r["awsRegion"], window), []).append(r)
    return [groups[k] for k in sorted(groups)]


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_tree(main_records, org_records):
    """Write the log tree; return [(path, records)] of every log file."""
    written = []
    prefix = SAMPLES / "AWSLogs"
    main_files = group_files(main_records)
    multi = max(range(len(main_files)), key=lambda i: (len(main_files[i]), i))
    for i, records in enumerate(main_files):
        r0 = records[0]
        path = log_path(prefix, MAIN, "CloudTrail", r0["awsRegion"], key_time(records), alnum(16, ALNUM))
        body = compact({"Records": records}).encode()
        if i == multi:
            # A gzip stream of two members: one JSON document split mid-way.
            half = len(body) // 2
            data = gzip_bytes(body[:half]) + gzip_bytes(body[half:])
        else:
            data = gzip_bytes(body)
        write(path, data)
        written.append((path, records))

    # An empty log file for a quiet region.
    empty_time = dt.datetime(2025, 6, 5, 7, 35)
    path = log_path(prefix, MAIN, "CloudTrail", "eu-west-1", empty_time, alnum(16, ALNUM))
    write(path, gzip_bytes(compact({"Records": []}).encode()))
    written.append((path, []))

    org_files = group_files(org_records)
    plain = max(i for i, recs in enumerate(org_files) if recs[0]["recipientAccountId"] == ORG_B)
    for i, records in enumerate(org_files):
        r0 = records[0]
        ext = ".json" if i == plain else ".json.gz"
        path = log_path(prefix / ORG_ID, r0["recipientAccountId"], "CloudTrail", r0["awsRegion"],
                        key_time(records), alnum(16, ALNUM), ext)
        body = compact({"Records": records}).encode()
        write(path, body if ext == ".json" else gzip_bytes(body))
        written.append((path, records))

    insights = insight_records()
    path = log_path(prefix, MAIN, "CloudTrail-Insight", "us-east-1", key_time(insights), alnum(16, ALNUM))
    write(path, gzip_bytes(compact({"Records": insights}).encode()))
    written.append((path, insights))

    write_digest(prefix, [w for w in written if f"/{MAIN}/CloudTrail/us-east-1/2025/06/11/" in str(w[0])])
    return written


def write_digest(prefix, files):
    """Write a digest for the main account's us-east-1 files of 2025-06-11."""
    start, end = dt.datetime(2025, 6, 11, 2, 0, 0), dt.datetime(2025, 6, 11, 3, 0, 0)
    digest = {
        "awsAccountId": MAIN,
        "digestStartTime": iso(start),
        "digestEndTime": iso(end),
        "digestS3Bucket": "example-cloudtrail-logs",
        "digestS3Object": "",
        "digestPublicKeyFingerprint": alnum(32, "0123456789abcdef"),
        "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": max(r["eventTime"] for _, recs in files for r in recs),
        "oldestEventTime": min(r["eventTime"] for _, recs in files for r in recs),
        "previousDigestS3Bucket": "example-cloudtrail-logs",
        "previousDigestS3Object": f"AWSLogs/{MAIN}/CloudTrail-Digest/us-east-1/2025/06/11/{MAIN}_CloudTrail-Digest_us-east-1_{TRAIL}_us-east-1_20250611T020000Z.json.gz",
        "previousDigestHashValue": alnum(64, "0123456789abcdef"),
        "previousDigestHashAlgorithm": "SHA-256",
        "previousDigestSignature": alnum(512, "0123456789abcdef"),
        "logFiles": [{
            "s3Bucket": "example-cloudtrail-logs",
            "s3Object": str(path.relative_to(SAMPLES)),
            "hashValue": hashlib.sha256(path.read_bytes()).hexdigest(),
            "hashAlgorithm": "SHA-256",
            "newestEventTime": max(r["eventTime"] for r in recs),
            "oldestEventTime": min(r["eventTime"] for r in recs),
        } for path, recs in files],
    }
    name = f"{MAIN}_CloudTrail-Digest_us-east-1_{TRAIL}_us-east-1_{end:%Y%m%dT%H%M%S}Z.json.gz"
    path = prefix / MAIN / "CloudTrail-Digest" / "us-east-1" / f"{end:%Y}" / f"{end:%m}" / f"{end:%d}" / name
    digest["digestS3Object"] = str(path.relative_to(SAMPLES))
    write(path, gzip_bytes(compact(digest).encode()))


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

CONFIG = {
    "timezone": "America/New_York",
    "business_hours": {"days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": "08:00", "end": "18:00"},
    "holidays": ["2025-06-19", "2025-07-04", "2025-12-25"],
    "trusted_networks": ["203.0.113.0/24", "2001:db8:1::/48", "10.20.0.0/16"],
    "suspicious_networks": ["198.51.100.0/24", "2001:db8:bad::/48"],
    "sensitive_roles": ["*Admin*", "*BreakGlass*", "OrganizationAccountAccessRole"],
    "weights": {"ip": 30, "time": 20, "role": 25, "anomaly": 25},
    "learning_days": 7,
    "error_burst": {"count": 5, "minutes": 10},
}


# ---------------------------------------------------------------------------
# Pattern evaluator
# ---------------------------------------------------------------------------
# A small EventBridge matcher, so the expected counts do not depend on the
# Swift code under test. It implements every operator: exact values, prefix
# and suffix (with their equals-ignore-case form), equals-ignore-case,
# wildcard, anything-but (value, list, prefix, suffix, equals-ignore-case,
# wildcard), numeric, exists, cidr and $or. A leaf array lists alternatives,
# an event array matches when any element does, and all fields below an
# array of objects must match in the same element. These are the semantics
# the EventBridge user guide and aws/event-ruler describe.
# NOTE: dotted event keys ({"a.b": 1} read as {"a": {"b": 1}}) are not
# supported. No default rule reads a field whose CloudTrail key contains a
# dot.

MISSING = object()
OPERATORS = {"prefix", "suffix", "anything-but", "exists", "cidr", "equals-ignore-case", "numeric", "wildcard"}


class PatternError(Exception):
    pass


# EventBridge rejects a pattern whose `$or` lists expand to more
# combinations than this (EventBridge user guide, content filtering).
MAX_OR_COMBINATIONS = 1000


def validate(pattern, path="$", in_or=False):
    """Raise PatternError where EventBridge would reject `pattern`."""
    validate_object(pattern, path, in_or)
    combinations = or_combinations(pattern)
    if combinations > MAX_OR_COMBINATIONS:
        raise PatternError(f"{path}: $or expands to {combinations} combinations, above the limit of {MAX_OR_COMBINATIONS}")


def or_combinations(pattern):
    """Count the plain patterns that the `$or` lists of `pattern` expand to."""
    total = 1
    for key, value in pattern.items():
        if key == "$or":
            total *= sum(or_combinations(sub) for sub in value)
        elif isinstance(value, dict):
            total *= or_combinations(value)
    return total


def validate_object(pattern, path, in_or):
    if not isinstance(pattern, dict) or not pattern:
        raise PatternError(f"{path}: expected a non-empty object")
    for key, value in pattern.items():
        where = f"{path}.{key}"
        if in_or and key in OPERATORS:
            raise PatternError(f"{where}: an operator name cannot be a field name inside $or")
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2:
                raise PatternError(f"{where}: $or needs a list of at least two objects")
            for i, sub in enumerate(value):
                validate_object(sub, f"{where}[{i}]", True)
        elif isinstance(value, dict):
            if len(value) == 1 and next(iter(value)) in OPERATORS:
                raise PatternError(f"{where}: an operator must sit in a list, as in [{json.dumps(value)}]")
            validate_object(value, where, in_or)
        elif isinstance(value, list):
            if not value:
                raise PatternError(f"{where}: empty value list")
            for item in value:
                validate_leaf(item, where)
        else:
            raise PatternError(f"{where}: a leaf must be a list, as in [{json.dumps(value)}]")


def validate_leaf(item, where):
    if not isinstance(item, dict):
        if isinstance(item, list):
            raise PatternError(f"{where}: nested lists are not allowed")
        return
    if len(item) != 1:
        raise PatternError(f"{where}: an operator object has exactly one key")
    (op, arg), = item.items()
    if op not in OPERATORS:
        raise PatternError(f"{where}: unknown operator {op!r}")
    if op in ("prefix", "suffix") and isinstance(arg, dict):
        # {"prefix": {"equals-ignore-case": "text"}} is the case-insensitive form.
        if list(arg) != ["equals-ignore-case"] or not isinstance(arg["equals-ignore-case"], str):
            raise PatternError(f"{where}: {op} takes one string or {{\"equals-ignore-case\": string}}")
    elif op in ("prefix", "suffix", "equals-ignore-case", "wildcard") and not isinstance(arg, str):
        raise PatternError(f"{where}: {op} takes one string")
    if op == "wildcard":
        validate_wildcard(arg, where)
    if op == "exists" and not isinstance(arg, bool):
        raise PatternError(f"{where}: exists takes true or false")
    if op == "cidr":
        net = ipaddress.ip_network(arg, strict=False)
        if net.prefixlen == net.max_prefixlen:
            raise PatternError(f"{where}: a /{net.prefixlen} cidr is invalid, so write the address itself as a plain string")
    if op == "numeric":
        validate_numeric(arg, where)
    if op == "anything-but":
        validate_anything_but(arg, where)


def validate_wildcard(text, where):
    """Reject `**` and a backslash before anything but `*` or `\\`."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            if i + 1 >= len(text) or text[i + 1] not in "*\\":
                raise PatternError(f"{where}: in a wildcard a backslash may only escape * or \\")
            i += 2
            continue
        if text[i] == "*" and i + 1 < len(text) and text[i + 1] == "*":
            raise PatternError(f"{where}: a wildcard may not contain **")
        i += 1


def validate_numeric(arg, where):
    """Accept one comparison, or a range with the lower bound first."""
    if not isinstance(arg, list) or len(arg) not in (2, 4):
        raise PatternError(f"{where}: numeric takes [op, number] or [lower op, number, upper op, number]")
    ops, values = arg[0::2], arg[1::2]
    if not all(is_number(v) for v in values):
        raise PatternError(f"{where}: numeric bounds must be numbers")
    if len(arg) == 2:
        if ops[0] not in ("=", "<", "<=", ">", ">="):
            raise PatternError(f"{where}: unknown numeric comparison {ops[0]!r}")
        return
    if ops[0] not in (">", ">=") or ops[1] not in ("<", "<="):
        raise PatternError(f"{where}: a numeric range puts the lower bound (> or >=) first, then < or <=")
    if values[0] >= values[1]:
        raise PatternError(f"{where}: numeric range lower bound must be below the upper bound")


def validate_anything_but(arg, where):
    if isinstance(arg, dict):
        if len(arg) != 1 or next(iter(arg)) not in ("prefix", "suffix", "equals-ignore-case", "wildcard"):
            raise PatternError(f"{where}: anything-but takes prefix, suffix, equals-ignore-case or wildcard")
        (sub, text), = arg.items()
        texts = text if isinstance(text, list) else [text]
        if not texts or not all(isinstance(t, str) for t in texts):
            raise PatternError(f"{where}: anything-but {sub} takes a string or a list of strings")
        if sub in ("prefix", "suffix") and "" in texts:
            raise PatternError(f"{where}: anything-but {sub} may not be empty")
        if sub == "wildcard":
            for t in texts:
                validate_wildcard(t, where)
        return
    ok = ((isinstance(arg, str) or is_number(arg)) or
          (isinstance(arg, list) and arg and (all(isinstance(a, str) for a in arg) or all(is_number(a) for a in arg))))
    if not ok:
        raise PatternError(f"{where}: invalid anything-but operand")


def leaves(value):
    """Flatten an event value to its leaf values (nested arrays flattened)."""
    if value is MISSING:
        return []
    if isinstance(value, list):
        out = []
        for v in value:
            out += leaves(v)
        return out
    if isinstance(value, dict):
        return []
    return [value]


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def as_ip(v):
    if not isinstance(v, str):
        return None
    try:
        return ipaddress.ip_address(v)
    except ValueError:
        return None


def wildcard_regex(text):
    """Translate an EventBridge wildcard: `*` is any run of characters, `\\*`
    a literal star, `\\\\` a literal backslash, everything else literal."""
    parts = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            parts.append(re.escape(text[i + 1]))
            i += 2
            continue
        parts.append(".*" if text[i] == "*" else re.escape(text[i]))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def compare(op, a, b):
    return {"=": a == b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def match_one(item, v):
    if not isinstance(item, dict):
        if is_number(item):
            return is_number(v) and float(v) == float(item)
        if isinstance(item, str) and as_ip(item) is not None:
            return as_ip(v) == as_ip(item)
        return type(v) is type(item) and v == item
    (op, arg), = item.items()
    if op in ("prefix", "suffix") and isinstance(arg, dict):
        if not isinstance(v, str):
            return False
        text = arg["equals-ignore-case"].casefold()
        folded = v.casefold()
        return folded.startswith(text) if op == "prefix" else folded.endswith(text)
    if op == "prefix":
        return isinstance(v, str) and v.startswith(arg)
    if op == "suffix":
        return isinstance(v, str) and v.endswith(arg)
    if op == "equals-ignore-case":
        return isinstance(v, str) and v.casefold() == arg.casefold()
    if op == "wildcard":
        return isinstance(v, str) and wildcard_regex(arg).fullmatch(v) is not None
    if op == "numeric":
        return is_number(v) and all(compare(o, float(v), float(n)) for o, n in zip(arg[0::2], arg[1::2]))
    if op == "cidr":
        ip = as_ip(v)
        return ip is not None and ip in ipaddress.ip_network(arg, strict=False)
    if op == "anything-but":
        # A string exclusion never excludes a number and the reverse, so
        # `{"anything-but": {"prefix": "a"}}` matches 12 and null.
        if isinstance(arg, dict):
            (sub, text), = arg.items()
            texts = text if isinstance(text, list) else [text]
            return not (isinstance(v, str) and any(match_one({sub: t}, v) for t in texts))
        excluded = arg if isinstance(arg, list) else [arg]
        return not any(match_one(e, v) for e in excluded)
    raise PatternError(f"operator {op!r} is not supported by this evaluator")


def match_leaf(alternatives, value):
    values = leaves(value)
    for item in alternatives:
        if isinstance(item, dict) and "exists" in item:
            if bool(values) == item["exists"]:
                return True
        elif any(match_one(item, v) for v in values):
            return True
    return False


def match_object(pattern, event):
    if isinstance(event, list):
        return any(match_object(pattern, e) for e in event)
    for key, sub in pattern.items():
        if key == "$or":
            if not any(match_object(p, event) for p in sub):
                return False
            continue
        value = event.get(key, MISSING) if isinstance(event, dict) else MISSING
        if isinstance(sub, list):
            if not match_leaf(sub, value):
                return False
        elif value is MISSING or not isinstance(value, (dict, list)):
            if not match_object(sub, {}):
                return False
        elif not match_object(sub, value):
            return False
    return True


def envelope_view(item):
    """Return the EventBridge envelope trailscan matches for an input object."""
    if "detail-type" in item and "detail" in item:
        return item
    env = {"version": "0", "id": item.get("eventID"), "resources": [], "detail": item}
    if item.get("eventType") in DETAIL_TYPES:
        env["detail-type"] = DETAIL_TYPES[item["eventType"]]
    if "eventSource" in item:
        env["source"] = "aws." + item["eventSource"].removesuffix(".amazonaws.com")
    for field, name in (("account", "recipientAccountId"), ("time", "eventTime"), ("region", "awsRegion")):
        if name in item:
            env[field] = item[name]
    return env


def matches(rule, item):
    return match_object(rule["pattern"], envelope_view(item))


# ---------------------------------------------------------------------------
# Rule checks and EXPECTED.md
# ---------------------------------------------------------------------------

def public_cidrs():
    """Return the minimal CIDR list of IPv4 outside PRIVATE_V4, plus PUBLIC_V6."""
    remaining = [ipaddress.ip_network("0.0.0.0/0")]
    for excluded in map(ipaddress.ip_network, PRIVATE_V4):
        next_remaining = []
        for net in remaining:
            if excluded.subnet_of(net):
                next_remaining += net.address_exclude(excluded)
            elif not net.subnet_of(excluded):
                next_remaining.append(net)
        remaining = next_remaining
    return [str(n) for n in ipaddress.collapse_addresses(remaining)] + PUBLIC_V6


def load_rules():
    rules = []
    for path in sorted(RULES.rglob("*.json")):
        rule = json.loads(path.read_text())
        rule["_path"] = path.relative_to(ROOT)
        rules.append(rule)
    return rules


def check_rules(rules):
    """Return a list of problems with the rules; empty when all is well."""
    problems = []
    names = {}
    for rule in rules:
        where = rule["_path"]
        missing = [key for key in ("name", "description", "base_score", "tags", "pattern", "examples") if key not in rule]
        if missing:
            problems.append(f"{where}: missing keys {missing}")
            continue
        if rule["name"] in names:
            problems.append(f"{where}: name {rule['name']} is also used by {names[rule['name']]}")
        names[rule["name"]] = where
        if rule["name"] != where.stem:
            problems.append(f"{where}: file name differs from rule name {rule['name']}")
        if not (0 <= rule["base_score"] <= 100):
            problems.append(f"{where}: base_score {rule['base_score']} is outside 0-100")
        if not any(t.startswith("attack.t") for t in rule["tags"]):
            problems.append(f"{where}: no ATT&CK technique tag")
        try:
            validate(rule["pattern"])
        except (PatternError, ValueError) as error:
            problems.append(f"{where}: invalid pattern: {error}")
            continue
        size = len(compact(rule["pattern"]))
        if size > MAX_PATTERN_CHARS:
            problems.append(f"{where}: pattern is {size} characters, above the EventBridge quota of {MAX_PATTERN_CHARS}")
        for kind, expected in (("match", True), ("no_match", False)):
            examples = rule["examples"].get(kind, [])
            if len(examples) < 2:
                problems.append(f"{where}: fewer than 2 {kind} examples")
            for i, example in enumerate(examples):
                try:
                    matched = matches(rule, example)
                except PatternError as error:
                    problems.append(f"{where}: {error}")
                    break
                if matched != expected:
                    problems.append(f"{where}: examples.{kind}[{i}] (eventID {example.get('eventID')}) "
                                    f"{'does not match' if expected else 'matches'}")
    public = [r for r in rules if r["name"] == "AssumeRoleFromPublicAddress"]
    if public:
        listed = [item["cidr"] for item in public[0]["pattern"]["detail"]["sourceIPAddress"]]
        if listed != public_cidrs():
            problems.append(f"{public[0]['_path']}: sourceIPAddress cidr list differs from the computed complement {public_cidrs()}")
    return problems


def write_expected(rules, tree, events, envelopes):
    def count(rule, records):
        return sum(1 for r in records if matches(rule, r))

    tree_records = [r for _, recs in tree for r in recs]
    lines = [
        "# Expected rule matches in the samples",
        "",
        "Generated by `scripts/make-samples.py` with its own pattern evaluator; do",
        "not edit by hand. A record counts once per rule it matches, in the",
        "envelope view that trailscan matches (`detail` is the record). The tree",
        "column counts `samples/AWSLogs` without the digest file, which trailscan",
        "skips.",
        "",
        f"Records: {len(tree_records)} in the tree ({len(tree)} log files, counting the Insights file",
        "and the empty file), "
        f"{len(events)} in `stream/events.ndjson`, {len(envelopes)} in `stream/eventbridge.ndjson`.",
        "",
        "| rule | base score | tree | events.ndjson | eventbridge.ndjson | total |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rule in sorted(rules, key=lambda r: r["name"]):
        a, b, c = count(rule, tree_records), count(rule, events), count(rule, envelopes)
        lines.append(f"| {rule['name']} | {rule['base_score']} | {a} | {b} | {c} | {a + b + c} |")
    lines += ["", "## Matching records", "",
              "Each rule's matches, as eventID, eventTime, eventName and the input that holds the record.", ""]
    sources = [(str(p.relative_to(SAMPLES)), recs) for p, recs in tree]
    sources += [("stream/events.ndjson", events), ("stream/eventbridge.ndjson", envelopes)]
    for rule in sorted(rules, key=lambda r: r["name"]):
        lines += [f"### {rule['name']}", ""]
        for source, records in sources:
            for r in records:
                if matches(rule, r):
                    detail = r.get("detail", r)
                    lines.append(f"- `{detail['eventID']}` {detail['eventTime']} {detail['eventName']} in `{source}`")
        lines.append("")
    lines += ["## Log files", "", "| file | records |", "| --- | ---: |"]
    for path, records in tree:
        lines.append(f"| `{path.relative_to(SAMPLES)}` | {len(records)} |")
    (SAMPLES / "EXPECTED.md").write_text("\n".join(lines) + "\n")


def check_samples(rules, all_records):
    """Return problems with the generated data: duplicate eventIDs, bad
    eventTime format, or a rule that never fires."""
    problems = []
    seen = set()
    for r in all_records:
        detail = r.get("detail", r)
        if detail["eventID"] in seen:
            problems.append(f"duplicate eventID {detail['eventID']}")
        seen.add(detail["eventID"])
        try:
            dt.datetime.strptime(detail["eventTime"], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            problems.append(f"eventTime {detail['eventTime']!r} of {detail['eventID']} is not YYYY-MM-DDTHH:MM:SSZ")
    for rule in rules:
        if not any(matches(rule, r) for r in all_records):
            problems.append(f"{rule['_path']}: no sample record matches")
    return problems


def main():
    rules = load_rules()
    problems = check_rules(rules)
    if problems:
        for problem in problems:
            print(f"make-samples: {problem}", file=sys.stderr)
        return 1

    if (SAMPLES / "AWSLogs").exists():
        shutil.rmtree(SAMPLES / "AWSLogs")
    main_records = main_account_noise() + intrusion()
    org_records = org_account_events()
    events = stream_records()
    envelopes = envelope_records()
    # The Insights file adds two records to the tree.
    excess = len(main_records) + len(org_records) + 2 + len(events) + len(envelopes) - TOTAL_RECORDS
    if excess < 0:
        print(f"make-samples: {-excess} records short of {TOTAL_RECORDS}; add benign noise", file=sys.stderr)
        return 1
    main_records = trim_ci_noise(main_records, excess)
    tree = write_tree(main_records, org_records)
    write(SAMPLES / "stream" / "events.ndjson", "".join(compact(r) + "\n" for r in events).encode())
    write(SAMPLES / "stream" / "eventbridge.ndjson", "".join(compact(e) + "\n" for e in envelopes).encode())
    write(SAMPLES / "trailscan.json", (json.dumps(CONFIG, indent=2) + "\n").encode())

    problems = check_samples(rules, [r for _, recs in tree for r in recs] + events + envelopes)
    if problems:
        for problem in problems:
            print(f"make-samples: {problem}", file=sys.stderr)
        return 1
    write_expected(rules, tree, events, envelopes)
    total = sum(len(recs) for _, recs in tree) + len(events) + len(envelopes)
    print(f"make-samples: wrote {len(tree)} log files and 2 streams, {total} records; {len(rules)} rules checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
