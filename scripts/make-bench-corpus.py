#!/usr/bin/env python3
"""Write a synthetic CloudTrail corpus in the S3 layout for benchmarks.

Usage: make-bench-corpus.py OUTPUT_DIR [RECORDS] [RULES_DIR RULE_COUNT]

OUTPUT_DIR/AWSLogs/<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/*.json.gz
receives RECORDS records (default 200,000) in files of about 1,000 records,
and OUTPUT_DIR/stream.ndjson the same records one per line. The mix is
meant to look like a busy organization trail: many services and event names,
IAM users, assumed roles, root and AWS service identities, IPv4 and IPv6
addresses and service-name sources, errors, and large responseElements on
some calls. With RULES_DIR and RULE_COUNT it also writes that many generated
rule files, each an EventBridge pattern on one event name with a second
condition, for the many-rules benchmark.

The output is deterministic (fixed seed, gzip mtime 0).
"""
import gzip
import io
import json
import os
import random
import sys
import uuid

rng = random.Random(20261204)

ACCOUNTS = ["111122223333", "444455556666", "777788889999", "123456789012", "210987654321"]
REGIONS = ["us-east-1", "us-east-1", "us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]
CALLS = [
    ("ec2", "DescribeInstances", True), ("ec2", "DescribeSecurityGroups", True), ("ec2", "RunInstances", False),
    ("ec2", "AuthorizeSecurityGroupIngress", False), ("ec2", "DescribeVolumes", True),
    ("s3", "GetObject", True), ("s3", "PutObject", False), ("s3", "ListBuckets", True), ("s3", "GetBucketAcl", True),
    ("s3", "PutBucketPolicy", False), ("iam", "ListRoles", True), ("iam", "GetUser", True),
    ("iam", "CreateAccessKey", False), ("iam", "AttachRolePolicy", False), ("sts", "AssumeRole", False),
    ("sts", "GetCallerIdentity", True), ("kms", "Decrypt", True), ("kms", "GenerateDataKey", True),
    ("kms", "ScheduleKeyDeletion", False), ("ssm", "GetParameter", True), ("ssm", "SendCommand", False),
    ("lambda", "Invoke", False), ("lambda", "ListFunctions20150331", True), ("rds", "DescribeDBInstances", True),
    ("logs", "CreateLogStream", False), ("logs", "PutLogEvents", False), ("cloudtrail", "LookupEvents", True),
    ("cloudtrail", "StopLogging", False), ("secretsmanager", "GetSecretValue", True),
    ("guardduty", "ListDetectors", True), ("signin", "ConsoleLogin", False), ("dynamodb", "Query", True),
]
WEIGHTS = [30, 10, 2, 1, 5, 40, 15, 5, 3, 1, 4, 4, 1, 1, 12, 20, 25, 15, 1, 10, 2, 6, 3, 4, 8, 8, 2, 1, 5, 2, 3, 6]
AGENTS = [
    "aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/ec2.describe-instances",
    "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython",
    "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/s3#1.47.7",
    "Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0",
    "console.amazonaws.com", "AWS Internal", "aws-sdk-java/1.12.600 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.9",
]


# Private subnets the workloads run in: a principal's calls come from a few
# of them, as instances and containers do, not from random addresses.
SUBNETS = [f"10.{rng.randrange(256)}.{rng.randrange(256)}" for _ in range(40)]


def address():
    roll = rng.random()
    if roll < 0.45:
        return f"{rng.choice(SUBNETS)}.{rng.randrange(1, 255)}"
    if roll < 0.75:
        return rng.choice(["203.0.113", "198.51.100", "192.0.2"]) + f".{rng.randrange(1, 255)}"
    if roll < 0.85:
        return f"2001:db8:{rng.randrange(16):x}::{rng.randrange(1, 65535):x}"
    return rng.choice(["ec2.amazonaws.com", "lambda.amazonaws.com", "AWS Internal", "cloudformation.amazonaws.com"])


def identity(account):
    roll = rng.random()
    if roll < 0.35:
        user = rng.choice(["alice", "bob", "carol", "deploy", "ci-runner", "backup"])
        return {"type": "IAMUser", "principalId": "AIDA" + uuid.UUID(int=rng.getrandbits(128)).hex[:16].upper(),
                "arn": f"arn:aws:iam::{account}:user/{user}", "accountId": account,
                "accessKeyId": "AKIA" + uuid.UUID(int=rng.getrandbits(128)).hex[:16].upper(), "userName": user}
    if roll < 0.92:
        role = rng.choice(["AppServer", "DataPipeline", "AdminRole", "ReadOnly", "OrganizationAccountAccessRole",
                           "lambda-exec", "eks-node"])
        session = rng.choice(["i-0abc123def4567890", "botocore-session-1701", "alice@example.com", "gh-actions"])
        return {"type": "AssumedRole", "principalId": "AROA" + uuid.UUID(int=rng.getrandbits(128)).hex[:16].upper()
                + ":" + session, "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}", "accountId": account,
                "accessKeyId": "ASIA" + uuid.UUID(int=rng.getrandbits(128)).hex[:16].upper(),
                "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE",
                                                     "arn": f"arn:aws:iam::{account}:role/{role}",
                                                     "accountId": account, "userName": role},
                                   "attributes": {"creationDate": "2026-11-01T10:00:00Z", "mfaAuthenticated": "false"}}}
    if roll < 0.94:
        return {"type": "Root", "principalId": account, "arn": f"arn:aws:iam::{account}:root", "accountId": account}
    return {"type": "AWSService", "invokedBy": rng.choice(["ec2.amazonaws.com", "lambda.amazonaws.com"])}


def record(index, epoch):
    account = rng.choice(ACCOUNTS)
    service, name, read_only = rng.choices(CALLS, WEIGHTS)[0]
    who = identity(account)
    source = who["invokedBy"] if who["type"] == "AWSService" else address()
    seconds = epoch % 86400
    event = {
        "eventVersion": "1.09", "userIdentity": who,
        "eventTime": "2026-11-%02dT%02d:%02d:%02dZ" % (1 + epoch // 86400, seconds // 3600, seconds // 60 % 60, seconds % 60),
        "eventSource": f"{service}.amazonaws.com", "eventName": name, "awsRegion": rng.choice(REGIONS),
        "sourceIPAddress": source, "userAgent": rng.choice(AGENTS),
        "requestParameters": {"bucketName": "logs-%d" % rng.randrange(50), "key": "data/%d.parquet" % index}
        if service == "s3" else {"roleArn": f"arn:aws:iam::{account}:role/AdminRole", "roleSessionName": "s%d" % index}
        if name == "AssumeRole" else {"maxResults": 50} if read_only else {"resourceId": "r-%08x" % index},
        "responseElements": None,
        "requestID": str(uuid.UUID(int=rng.getrandbits(128))), "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
        "readOnly": read_only, "eventType": "AwsConsoleSignIn" if name == "ConsoleLogin" else "AwsApiCall",
        "managementEvent": True, "recipientAccountId": account, "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": f"{service}.{REGIONS[0]}.amazonaws.com"},
    }
    if rng.random() < 0.08:
        event["errorCode"] = rng.choice(["AccessDenied", "Client.UnauthorizedOperation", "ThrottlingException"])
        event["errorMessage"] = "User is not authorized to perform this operation on the requested resource " * 3
    elif not read_only and rng.random() < 0.5:
        event["responseElements"] = {"items": [{"instanceId": "i-%017x" % rng.getrandbits(64),
                                                "state": {"code": 16, "name": "running"},
                                                "networkInterfaceSet": {"items": [{"privateIpAddress": "10.0.%d.%d" % (
                                                    rng.randrange(256), rng.randrange(256))}]}}
                                               for _ in range(rng.randrange(1, 4))]}
    if name == "AssumeRole" and "errorCode" not in event:
        event["responseElements"] = {"credentials": {"accessKeyId": "ASIAEXAMPLE", "sessionToken": "IQoJb3JpZ2luX2Vj" + "A" * 700,
                                                     "expiration": "Nov 1, 2026, 11:00:00 AM"}}
    return event


def main():
    output = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    per_file = 1000
    stream = open(os.path.join(output, "stream.ndjson"), "w", encoding="utf-8") if os.path.isdir(output) else None
    os.makedirs(output, exist_ok=True)
    stream = stream or open(os.path.join(output, "stream.ndjson"), "w", encoding="utf-8")
    for file_index in range(0, total, per_file):
        epoch = file_index * 2_000_000 // total
        records = [record(file_index + offset, epoch + offset) for offset in range(min(per_file, total - file_index))]
        account, region = ACCOUNTS[file_index // per_file % len(ACCOUNTS)], REGIONS[file_index // per_file % len(REGIONS)]
        day = 1 + epoch // 86400
        folder = os.path.join(output, "AWSLogs", account, "CloudTrail", region, "2026", "11", "%02d" % day)
        os.makedirs(folder, exist_ok=True)
        name = "%s_CloudTrail_%s_202611%02dT%04dZ_%016x.json.gz" % (account, region, day, file_index % 2400, file_index)
        text = json.dumps({"Records": records}, separators=(",", ":"))
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=6) as archive:
            archive.write(text.encode())
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(buffer.getvalue())
        for item in records:
            stream.write(json.dumps(item, separators=(",", ":")) + "\n")
    stream.close()

    if len(sys.argv) > 4:
        rules_dir, rule_count = sys.argv[3], int(sys.argv[4])
        os.makedirs(rules_dir, exist_ok=True)
        for index in range(rule_count):
            service, name, _ = CALLS[index % len(CALLS)]
            second = [{"errorCode": [{"exists": True}]}, {"userIdentity": {"type": ["Root"]}},
                      {"sourceIPAddress": [{"cidr": "198.51.100.0/24"}]},
                      {"awsRegion": [{"anything-but": ["us-east-1", "eu-west-1"]}]},
                      {"userAgent": [{"prefix": "Terraform/%d" % index}]}][index % 5]
            detail = {"eventName": [name + ("" if index < len(CALLS) else "V%d" % index), "Generated%d" % index]}
            detail.update(second)
            rule = {"name": "Generated%04d" % index, "description": "A generated rule for the benchmark.",
                    "base_score": 10, "tags": [],
                    "pattern": {"source": ["aws." + service], "detail": detail}}
            with open(os.path.join(rules_dir, "generated-%04d.json" % index), "w", encoding="utf-8") as handle:
                json.dump(rule, handle)


if __name__ == "__main__":
    main()
