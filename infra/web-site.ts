// The chat page on AWS: the files of src/web in a private S3 bucket, served only through CloudFront
// (origin access control, HTTPS), plus a generated config.json telling the page where the WebSocket
// API and Cognito are. The emulator serves /config.json of the same shape in dev.
import { DefaultStackSynthesizer, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib'
import { Duration } from 'aws-cdk-lib'
import { Distribution, HeadersFrameOption, HeadersReferrerPolicy, HttpVersion, PriceClass, ResponseHeadersPolicy, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront'
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs'
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3'
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment'
import { Construct } from 'constructs'
import { pageSecurityHeaders } from '../src/page-security-headers.ts'
import type { UserPoolPageSettings } from '../src/user-pool-declaration.ts'
import { acknowledgeWildcards } from './nag-findings.ts'

/** What the page reads from /config.json. */
export interface WebConfig {
  readonly websocketUrl: string
  readonly cognito: UserPoolPageSettings & { readonly endpoint: string; readonly region: string; readonly userPoolId: string; readonly clientId: string }
}

export interface WebSiteProps {
  /** Folder with the page's files (src/web). */
  readonly sourceDir: string
  readonly config: WebConfig
  /** The origins the page talks to (its WebSocket API and Cognito): the page's connect-src. */
  readonly connectOrigins: readonly string[]
  readonly logRetention: RetentionDays
}

export class WebSite extends Construct {
  readonly bucket: Bucket
  readonly distribution: Distribution

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id)
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Everything in it is built from src/web on each deploy: nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${Stack.of(this).stackName} chat page`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: pageHeadersPolicy(this, props.connectOrigins),
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
    })
    // The deploy handler's own role, so that it gets only what BucketDeployment grants it and no
    // AWSLambdaBasicExecutionRole (which may write to any log group).
    const deployLogs = new LogGroup(this, 'DeployLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY })
    const deployRole = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the chat page into its bucket and invalidates the CDN during deploys',
    })
    deployLogs.grantWrite(deployRole)
    const deployment = new BucketDeployment(this, 'Files', {
      sources: [Source.asset(props.sourceDir, { exclude: ['**/*.test.*'] }), Source.jsonData('config.json', props.config)],
      destinationBucket: this.bucket,
      // A deploy replaces the page at once: old copies leave the CDN and browsers revalidate.
      distribution: this.distribution,
      distributionPaths: ['/*'],
      cacheControl: [CacheControl.noCache()],
      // The bucket is deleted with the stack, so its files go first.
      retainOnDelete: false,
      logGroup: deployLogs,
      role: deployRole,
    })
    acknowledgeFindings(this.bucket, this.distribution, deployRole, deployment)
  }

  /** `https://{distribution domain}/` */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`
  }
}

function acknowledgeFindings(bucket: Bucket, distribution: Distribution, deployRole: Role, deployment: BucketDeployment): void {
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'The bucket holds only the public page, rebuilt from src/web on every deploy, and is read only by CloudFront; there is no user data whose access needs auditing.',
  })
  Validations.of(distribution).acknowledge(
    { id: 'AwsSolutions-CFR1', reason: 'A chat open to anyone who signs up: no country is to be excluded.' },
    {
      id: 'AwsSolutions-CFR2',
      reason: 'The distribution serves a few static files; AWS WAF (from $5/month per web ACL plus rules) is not justified for them. Sign-up and chat traffic does not pass through CloudFront.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason: 'Standard logs of a static, public page add a log bucket and cost without security value; API access is logged at the WebSocket stage.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason: 'The distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a custom domain with its own certificate would allow TLSv1.2_2021.',
    },
  )
  // BucketDeployment grants its handler these (aws-cdk-lib code, not configurable): read the CDK asset
  // bucket, whose object names are content hashes; write and prune any key of the page bucket; and
  // invalidate the distribution, an action IAM cannot scope to one distribution by ARN in CDK's grant.
  const stack = Stack.of(bucket)
  const qualifier = stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER
  acknowledgeWildcards(
    deployRole,
    {
      actions: ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'],
      resources: [
        `arn:${stack.partition}:s3:::cdk-${qualifier}-assets-${stack.account}-${stack.region}/*`,
        `${bucket.bucketArn}/*`,
        '*',
      ],
    },
    "Grants made by aws-cdk-lib's BucketDeployment to its deploy-time handler: read CDK's asset bucket (objects named by content hash), replace and prune the page bucket's files, and invalidate the page's distribution.",
  )
  // The handler function itself is a singleton aws-cdk-lib places at the stack's root.
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))
  if (!handler) throw new Error(`BucketDeployment ${deployment.node.path}: its handler function was not found at the stack root`)
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: "The BucketDeployment handler is aws-cdk-lib's own Python function; aws-cdk-lib chooses its runtime, not this project.",
  })
}

/**
 * The page's own security headers (src/page-security-headers.ts, which the emulator sends too): the
 * same Content-Security-Policy offline and on AWS, with connect-src naming this stack's API and
 * Cognito only; plus HSTS, which only HTTPS has.
 */
function pageHeadersPolicy(scope: Construct, connectOrigins: readonly string[]): ResponseHeadersPolicy {
  const headers = pageSecurityHeaders(connectOrigins)
  const known = ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']
  const unknown = Object.keys(headers).filter((name) => !known.includes(name))
  if (unknown.length > 0) throw new Error(`pageHeadersPolicy does not know how to send ${unknown.join(', ')}`)
  if (headers['x-frame-options'] !== 'DENY' || headers['referrer-policy'] !== 'no-referrer') throw new Error('pageHeadersPolicy maps only DENY and no-referrer')
  return new ResponseHeadersPolicy(scope, 'Headers', {
    comment: 'The chat page: its Content-Security-Policy and security headers',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: headers['content-security-policy'], override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
    },
  })
}
