// API Gateway writes WebSocket access logs only once the region's account settings name a CloudWatch
// role ("CloudWatch Logs role ARN must be set in account settings to enable logging"). That setting is
// one per account and region, so both resources are retained on delete: other APIs may rely on it.
import { RemovalPolicy, Validations } from 'aws-cdk-lib'
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway'
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Construct } from 'constructs'

export class ApiGatewayCloudWatchRole extends Construct {
  readonly account: CfnAccount

  constructor(scope: Construct, id: string) {
    super(scope, id)
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway write access and execution logs to CloudWatch Logs in this region',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    })
    role.applyRemovalPolicy(RemovalPolicy.RETAIN)
    this.account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn })
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN)
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'AWS documents this managed policy as the one for the API Gateway account CloudWatch role; API Gateway creates its own log groups for execution logs, whose names are not known in advance.',
    })
  }
}
